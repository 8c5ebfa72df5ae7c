import { describe, expect, it } from 'vitest';
import { readTestFile } from '../test/testData.js';
import type { DicomJsonDataset } from './dicomJson.js';
import { parsePart10 } from './parsePart10.js';
import { validateInstance } from './validateInstance.js';
import { encodeBase64 } from './base64.js';

const base: DicomJsonDataset = {
  '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
  '00080018': { vr: 'UI', Value: ['1.2.3.4'] },
  '00080060': { vr: 'CS', Value: ['OT'] },
  '00100020': { vr: 'LO', Value: ['P1'] },
  '0020000D': { vr: 'UI', Value: ['1.2.3'] },
  '0020000E': { vr: 'UI', Value: ['1.2.3.1'] },
};

const image = (overrides: DicomJsonDataset, pixelBytes: number): DicomJsonDataset => ({
  ...base,
  '00280002': { vr: 'US', Value: [1] },
  '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
  '00280010': { vr: 'US', Value: [4] },
  '00280011': { vr: 'US', Value: [4] },
  '00280100': { vr: 'US', Value: [16] },
  '00280101': { vr: 'US', Value: [12] },
  '00280102': { vr: 'US', Value: [11] },
  '7FE00010': { vr: 'OW', InlineBinary: encodeBase64(new Uint8Array(pixelBytes)) },
  ...overrides,
});

describe('validateInstance', () => {
  it('accepts a complete instance and real files', () => {
    expect(validateInstance(base)).toEqual({ errors: [], warnings: [] });
    expect(validateInstance(image({}, 32))).toEqual({ errors: [], warnings: [] });
    const ct = parsePart10(readTestFile('CT_small.dcm'));
    expect(validateInstance(ct.dataset, { transferSyntaxUID: ct.transferSyntaxUID }).errors).toEqual([]);
    const rle = parsePart10(readTestFile('MR_small_RLE.dcm'));
    expect(validateInstance(rle.dataset, { transferSyntaxUID: rle.transferSyntaxUID }).errors).toEqual([]);
  });

  it('reports missing and invalid UIDs and Modality as errors with 0xA900', () => {
    const { errors } = validateInstance({
      ...base,
      '00080018': { vr: 'UI', Value: ['1.02.3'] },
      '0020000D': { vr: 'UI' },
    });
    expect(errors).toEqual([
      {
        code: 'INVALID_UID',
        tag: '00080018',
        message: 'SOP Instance UID is not a valid UID',
        failureReason: 0xa900,
      },
      {
        code: 'MISSING_ATTRIBUTE',
        tag: '0020000D',
        message: 'Study Instance UID is missing',
        failureReason: 0xa900,
      },
    ]);
    const withoutModality = { ...base };
    delete withoutModality['00080060'];
    expect(validateInstance(withoutModality).errors.map((issue) => issue.tag)).toEqual(['00080060']);
  });

  it('warns about an empty Patient ID', () => {
    const { errors, warnings } = validateInstance({ ...base, '00100020': { vr: 'LO' } });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      { code: 'MISSING_ATTRIBUTE', tag: '00100020', message: 'Patient ID is empty', failureReason: 0xb007 },
    ]);
  });

  it('checks the Image Pixel module against Pixel Data', () => {
    const tags = (dataset: DicomJsonDataset) => validateInstance(dataset).errors.map((issue) => issue.tag);
    expect(tags(image({}, 30))).toEqual(['7FE00010']); // 4×4×2 bytes = 32
    expect(tags(image({ '00280008': { vr: 'IS', Value: [2] } }, 32))).toEqual(['7FE00010']);
    expect(tags(image({ '00280008': { vr: 'IS', Value: [2] } }, 64))).toEqual([]);
    expect(tags(image({ '00280101': { vr: 'US', Value: [17] } }, 32))).toEqual(['00280101']);
    expect(tags(image({ '00280004': { vr: 'CS', Value: ['RGB'] } }, 32))).toEqual(['00280002']);
    expect(tags(image({ '00280010': { vr: 'US' } }, 32))).toEqual(['00280010']);
    expect(
      validateInstance(image({ '00280102': { vr: 'US', Value: [15] } }, 32)).warnings.map(
        (issue) => issue.tag,
      ),
    ).toEqual(['00280102']);
    // Encapsulated pixel data is not checked against the native length.
    expect(validateInstance(image({}, 2), { transferSyntaxUID: '1.2.840.10008.1.2.4.50' }).errors).toEqual(
      [],
    );
  });

  it('checks meta UIDs against the data set and a Pixel Data length given apart', () => {
    const meta: DicomJsonDataset = {
      '00020002': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
      '00020003': { vr: 'UI', Value: ['9.9.9'] },
    };
    expect(validateInstance(base, { meta }).warnings.map((issue) => [issue.code, issue.tag])).toEqual([
      ['DATASET_MISMATCH', '00020003'],
    ]);
    const header = image({}, 32);
    delete header['7FE00010'];
    expect(validateInstance(header, { pixelDataLength: 32 }).errors).toEqual([]);
    expect(validateInstance(header, { pixelDataLength: 16 }).errors.map((issue) => issue.tag)).toEqual([
      '7FE00010',
    ]);
    expect(validateInstance(header).errors).toEqual([]); // no Pixel Data, nothing to compare
  });

  it('under the archive policy, downgrades a missing Modality and pixel problems to warnings, not UIDs', () => {
    const { '00080060': _modality, ...noModality } = base;
    const short = image({ '00080060': { vr: 'CS' } }, 8);
    const archive = validateInstance(short, { policy: 'archive' });
    expect(archive.errors).toEqual([]);
    expect(archive.warnings.map((w) => [w.tag, w.failureReason])).toEqual([
      ['00080060', 0xb007],
      ['7FE00010', 0xb007],
    ]);
    expect(validateInstance(short).errors.map((e) => e.tag)).toEqual(['00080060', '7FE00010']);
    expect(validateInstance(noModality, { policy: 'archive' }).errors).toEqual([]);
    const { '0020000E': _series, ...noSeries } = base;
    expect(validateInstance(noSeries, { policy: 'archive' }).errors.map((e) => e.tag)).toEqual(['0020000E']);
  });

  it('never throws on bad data', () => {
    const bad = [
      null,
      [],
      {},
      { '00080018': { vr: 'UI', Value: [{ Alphabetic: 'x' }] } },
      { '00280010': null, '7FE00010': { vr: 'OW', InlineBinary: '!!!' } },
    ] as unknown as DicomJsonDataset[];
    for (const dataset of bad) {
      const result = validateInstance(dataset);
      expect(result.errors.length).toBeGreaterThan(0);
    }
  });
});
