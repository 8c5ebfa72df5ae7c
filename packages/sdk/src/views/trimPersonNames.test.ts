import type { DicomJsonDataset } from '@pacskit/dicom';
import { describe, expect, it } from 'vitest';
import { createDicomwebAdapter } from '../adapters/dicomweb/createDicomwebAdapter.js';
import { trimPersonNames } from './trimPersonNames.js';

const context = { level: 'study' as const, source: 's' };

describe('trimPersonNames', () => {
  it('drops trailing component separators and padding, and leaves other values alone', () => {
    const dataset: DicomJsonDataset = {
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE^JOHN^^^ ', Ideographic: '^^' }] },
      '00080090': { vr: 'PN', Value: [{ Alphabetic: 'SMITH^ANNE' }] },
      '00100020': { vr: 'LO', Value: ['P1^^'] },
    };
    const out = trimPersonNames(dataset, context);
    expect(out['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'DOE^JOHN' }] });
    expect(out['00080090']).toBe(dataset['00080090']);
    expect(out['00100020']).toEqual({ vr: 'LO', Value: ['P1^^'] });
    expect(dataset['00100010']!.Value![0]).toEqual({ Alphabetic: 'DOE^JOHN^^^ ', Ideographic: '^^' });
    const untouched = { '00100010': { vr: 'PN' as const, Value: [{ Alphabetic: 'A^B' }] } };
    expect(trimPersonNames(untouched, context)).toBe(untouched);
  });

  it('runs in every adapter before the typed view', async () => {
    const adapter = createDicomwebAdapter({
      baseUrl: 'https://pacs.test',
      fetch: async () =>
        new Response(
          JSON.stringify([
            {
              '0020000D': { vr: 'UI', Value: ['1.2'] },
              '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE^JOHN^^' }] },
            },
          ]),
          { status: 200, headers: { 'Content-Type': 'application/dicom+json' } },
        ),
    });
    expect((await adapter.searchForStudies()).items[0]!.PatientName).toBe('DOE^JOHN');
  });
});
