import { describe, expect, it } from 'vitest';
import { readTestFile } from '../test/testData.js';
import {
  deidentify,
  getString,
  matchDataset,
  parsePart10,
  toDicomJsonQuery,
  validateInstance,
  writePart10,
} from './index.js';

describe('README quick start', () => {
  it('runs as written (with the file read from the test data instead of fetched)', () => {
    const bytes = readTestFile('CT_small.dcm');
    const { dataset, transferSyntaxUID } = parsePart10(bytes, {
      bulkDataThreshold: 64 * 1024,
      bulkDataUri: (ref) => (ref.tag === '7FE00010' ? `/bulk/${ref.path.join('/')}` : undefined),
    });
    expect(getString(dataset, 'PatientName')).toBe('CompressedSamples^CT1');
    expect(dataset['7FE00010']).toEqual({ vr: 'OW', InlineBinary: expect.any(String) }); // 32 KB < 64 KB
    const { errors } = validateInstance(dataset, { transferSyntaxUID });
    expect(errors).toEqual([]);
    const query = toDicomJsonQuery({ PatientName: 'compressed*', StudyDate: '20000101-' });
    expect(matchDataset(query, dataset)).toBe(true);
    const anonymous = deidentify(parsePart10(bytes).dataset, { patientId: 'SUBJ-1' });
    const file = writePart10({ dataset: anonymous });
    expect(getString(parsePart10(file).dataset, 'PatientID')).toBe('SUBJ-1');
  });
});
