import { readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isPacsError } from '@pacskit/dicom';
import { describe, expect, it } from 'vitest';
import { pydicomTestFile } from '../testing/testFiles.js';
import { BufferSource, FileSource } from './ByteSource.js';
import { readPart10 } from './readPart10.js';

function parse(name: string) {
  return readPart10(new BufferSource(readFileSync(pydicomTestFile(name))));
}

describe('readPart10', () => {
  it('reads CT_small.dcm (explicit VR little endian) with its pixel data location', () => {
    const parsed = parse('CT_small.dcm');
    expect(parsed.transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(parsed.dataset['00100010']?.Value?.[0]).toEqual({ Alphabetic: 'CompressedSamples^CT1' });
    expect(parsed.dataset['00280010']?.Value?.[0]).toBe(128);
    expect(parsed.pixelData).toMatchObject({ encapsulated: false, length: 128 * 128 * 2 });
    expect(parsed.dataset['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: 'bulk/7FE00010' });
  });

  it('reads implicit VR and big endian files to the same values', () => {
    const implicit = parse('MR_small_implicit.dcm');
    const big = parse('MR_small_bigendian.dcm');
    const explicit = parse('MR_small.dcm');
    for (const tag of ['0020000D', '00280010', '00280011', '00180050', '00100010']) {
      expect(implicit.dataset[tag]?.Value).toEqual(explicit.dataset[tag]?.Value);
      expect(big.dataset[tag]?.Value).toEqual(explicit.dataset[tag]?.Value);
    }
  });

  it('finds the fragments of encapsulated pixel data', () => {
    const parsed = parse('SC_rgb_rle_2frame.dcm');
    expect(parsed.pixelData?.encapsulated).toBe(true);
    expect(parsed.pixelData?.fragments.length).toBe(2);
  });

  it('reads a deflated file', () => {
    const parsed = parse('image_dfl.dcm');
    expect(parsed.encoding.deflated).toBe(true);
    expect(parsed.dataset['0020000D']?.Value?.[0]).toMatch(/^[0-9.]+$/);
  });

  it('stops before pixel data with untilTag and reads the same header from a file', () => {
    const source = new FileSource(pydicomTestFile('CT_small.dcm'));
    const parsed = readPart10(source, { untilTag: '7FE00010' });
    source.close();
    expect(parsed.pixelData?.length).toBe(128 * 128 * 2);
    expect(parsed.dataset['00080018']?.Value?.[0]).toBe('1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322');
  });

  it('refuses truncated files, files without DICM and unknown meta with DICOM_PARSE_ERROR', () => {
    for (const name of ['MR_truncated.dcm', 'no_meta.dcm', 'rtplan_truncated.dcm']) {
      let error: unknown;
      try {
        parse(name);
      } catch (e) {
        error = e;
      }
      expect(isPacsError(error, 'DICOM_PARSE_ERROR'), name).toBe(true);
    }
  });

  it('parses every Part 10 file of the pydicom test set or fails with a PacsError', () => {
    const dir = dirname(pydicomTestFile('CT_small.dcm'));
    let parsed = 0;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.dcm'))) {
      try {
        parse(name);
        parsed++;
      } catch (e) {
        expect(isPacsError(e), `${name}: ${String(e)}`).toBe(true);
      }
    }
    expect(parsed).toBeGreaterThan(50);
  });
});
