import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTestFile, testFilesDirectory } from '../test/testData.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import type { DicomJsonDataset } from './dicomJson.js';
import { splitEncapsulatedPixelData } from './encapsulatedPixelData.js';
import { PacsError } from './pacsError.js';
import { type BulkDataReference, parsePart10 } from './parsePart10.js';
import { writePart10 } from './writePart10.js';

describe('pydicom DICOM JSON', () => {
  it('writes pydicom DICOM JSON (test_PN.json) and reads the same names back', () => {
    const dataset = JSON.parse(
      readFileSync(join(testFilesDirectory, 'test_PN.json'), 'utf8'),
    ) as DicomJsonDataset;
    const reparsed = parsePart10(writePart10({ dataset })).dataset;
    expect(reparsed['00100010']?.Value).toEqual([{ Alphabetic: 'Prostate^Volunteer' }]);
    expect(reparsed['00080090']).toEqual({ vr: 'PN' }); // {"Alphabetic": ""} is an empty value
    expect(Object.keys(reparsed).sort()).toEqual(Object.keys(dataset).sort());
  });
});

describe('parsePart10', () => {
  it('reads strings, numbers, person names and sequences as DICOM JSON', () => {
    const { dataset, meta, transferSyntaxUID } = parsePart10(readTestFile('CT_small.dcm'));
    expect(transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(meta['00020010']).toEqual({ vr: 'UI', Value: ['1.2.840.10008.1.2.1'] });
    expect(dataset['00080060']).toEqual({ vr: 'CS', Value: ['CT'] });
    expect(dataset['00280010']).toEqual({ vr: 'US', Value: [128] });
    expect(dataset['00100010']?.vr).toBe('PN');
    expect(dataset['00100010']?.Value?.[0]).toHaveProperty('Alphabetic');
    expect(typeof dataset['00180050']?.Value?.[0]).toBe('number'); // SliceThickness, DS
    expect(dataset['7FE00010']?.InlineBinary).toBeDefined();
  });

  it('reads the same data set from little endian, big endian and implicit VR files', () => {
    const little = parsePart10(readTestFile('MR_small.dcm')).dataset;
    const big = parsePart10(readTestFile('MR_small_bigendian.dcm')).dataset;
    const implicit = parsePart10(readTestFile('MR_small_implicit.dcm')).dataset;
    for (const tag of ['00100010', '00280010', '00280011', '00200032', '7FE00010']) {
      expect(big[tag], tag).toEqual(little[tag]);
      expect(implicit[tag]?.Value ?? implicit[tag]?.InlineBinary, tag).toEqual(
        little[tag]?.Value ?? little[tag]?.InlineBinary,
      );
    }
  });

  it('inflates deflated data sets', () => {
    const { dataset, transferSyntaxUID } = parsePart10(readTestFile('image_dfl.dcm'));
    expect(transferSyntaxUID).toBe('1.2.840.10008.1.2.1.99');
    expect(dataset['7FE00010']?.InlineBinary).toBeDefined();
  });

  it('stops inflating a deflate bomb at maxInflatedBytes', () => {
    const { dataset } = parsePart10(readTestFile('MR_small.dcm'));
    const bomb = writePart10({
      dataset: {
        ...dataset,
        '7FE00010': { vr: 'OB', InlineBinary: encodeBase64(new Uint8Array(8 * 1024 * 1024)) },
      },
      transferSyntaxUID: '1.2.840.10008.1.2.1.99',
    });
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(() => parsePart10(bomb, { maxInflatedBytes: 1024 * 1024 })).toThrow(
      expect.objectContaining({ code: 'DICOM_PARSE_ERROR', details: { maxInflatedBytes: 1024 * 1024 } }),
    );
    expect(parsePart10(bomb).dataset['00280010']).toEqual(dataset['00280010']);
  });

  it('keeps encapsulated pixel data fragments and offset table losslessly', () => {
    const bytes = readTestFile('SC_rgb_rle_2frame.dcm');
    const { dataset } = parsePart10(bytes);
    const itemStream = decodeBase64(dataset['7FE00010']!.InlineBinary!)!;
    const { basicOffsetTable, fragments } = splitEncapsulatedPixelData(itemStream);
    expect(fragments).toHaveLength(2);
    expect(basicOffsetTable).toHaveLength(2);
    expect(basicOffsetTable[0]).toBe(0);
    expect(basicOffsetTable[1]).toBe(fragments[0]!.length + 8);
    // The item stream is a verbatim slice of the file.
    const text = Buffer.from(bytes).indexOf(Buffer.from(itemStream));
    expect(text).toBeGreaterThan(0);
  });

  it('reads files without meta header, guessing the encoding', () => {
    expect(parsePart10(readTestFile('ExplVR_LitEndNoMeta.dcm')).transferSyntaxUID).toBe(
      '1.2.840.10008.1.2.1',
    );
    expect(parsePart10(readTestFile('ExplVR_BigEndNoMeta.dcm')).transferSyntaxUID).toBe(
      '1.2.840.10008.1.2.2',
    );
    const implicit = writePart10({
      dataset: parsePart10(readTestFile('CT_small.dcm')).dataset,
      transferSyntaxUID: '1.2.840.10008.1.2',
    });
    // Strip preamble and meta: a bare implicit VR little endian data set.
    const metaLength = new DataView(implicit.buffer).getUint32(140, true);
    const bare = implicit.subarray(144 + metaLength);
    const parsed = parsePart10(bare);
    expect(parsed.transferSyntaxUID).toBe('1.2.840.10008.1.2');
    expect(parsed.meta).toEqual({});
    expect(parsed.dataset['00080060']?.Value).toEqual(['CT']);
  });

  it('keeps private tags and private sequences', () => {
    const { dataset } = parsePart10(readTestFile('priv_SQ.dcm'));
    const privateTags = Object.keys(dataset).filter((tag) => Number.parseInt(tag.slice(0, 4), 16) % 2 === 1);
    expect(privateTags.length).toBeGreaterThan(0);
    const un = parsePart10(readTestFile('UN_sequence.dcm')).dataset;
    const sequence = Object.values(un).find((attribute) => attribute.vr === 'SQ');
    expect(sequence?.Value?.length).toBeGreaterThan(0);
  });

  it('stops before untilTag', () => {
    const { dataset } = parsePart10(readTestFile('CT_small.dcm'), { untilTag: 'PixelData' });
    expect(dataset['7FE00010']).toBeUndefined();
    expect(dataset['00280010']?.Value).toEqual([128]);
  });

  it('offers binary values above the threshold as bulk data, with their path', () => {
    const references: BulkDataReference[] = [];
    const { dataset } = parsePart10(readTestFile('CT_small.dcm'), {
      bulkDataThreshold: 1024,
      bulkDataUri: (reference) => {
        references.push(reference);
        return `bulk/${reference.path.join('/')}`;
      },
    });
    expect(dataset['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: 'bulk/7FE00010' });
    expect(references.every((reference) => reference.byteLength > 1024)).toBe(true);
    expect(references.find((reference) => reference.tag === '7FE00010')?.byteLength).toBe(128 * 128 * 2);
    expect(() => writePart10({ dataset })).toThrow(PacsError);
  });

  it('rejects an unknown transfer syntax with UNSUPPORTED_TRANSFER_SYNTAX', () => {
    const parsed = parsePart10(readTestFile('CT_small.dcm'));
    const written = writePart10({ ...parsed, meta: { ...parsed.meta } });
    const text = Buffer.from(written);
    const at = text.indexOf('1.2.840.10008.1.2.1\0');
    text.write('9.9.999.99999.9.9.9', at, 'latin1');
    expect(() => parsePart10(new Uint8Array(text))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_TRANSFER_SYNTAX' }),
    );
  });

  it('rejects garbage, empty input and huge lengths with DICOM_PARSE_ERROR', () => {
    for (const input of [
      new Uint8Array(0),
      new Uint8Array(3),
      new TextEncoder().encode('<html>not dicom</html>'),
    ]) {
      expect(() => parsePart10(input)).toThrow(expect.objectContaining({ code: 'DICOM_PARSE_ERROR' }));
    }
    const bytes = readTestFile('CT_small.dcm').slice();
    // Find PatientName (0010,0010) PN and give it a 2 GB length.
    const at = Buffer.from(bytes).indexOf(Buffer.from([0x10, 0x00, 0x10, 0x00, 0x50, 0x4e]));
    bytes[at + 6] = 0xff;
    bytes[at + 7] = 0xff;
    expect(() => parsePart10(bytes)).toThrow(expect.objectContaining({ code: 'DICOM_PARSE_ERROR' }));
    // And Pixel Data (7FE0,0010) OW with a 4 GB - 2 length.
    const pixels = readTestFile('CT_small.dcm').slice();
    const pixelAt = Buffer.from(pixels).indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57]));
    new DataView(pixels.buffer).setUint32(pixelAt + 8, 0xfffffffe, true);
    expect(() => parsePart10(pixels)).toThrow(expect.objectContaining({ code: 'DICOM_PARSE_ERROR' }));
  });

  it('never throws anything but a PacsError on truncated or corrupted files', () => {
    const original = readTestFile('MR_small.dcm');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: original.length }),
        fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.nat({ max: 255 })), { maxLength: 8 }),
        (cut, mutations) => {
          const bytes = original.slice(0, cut);
          for (const [index, value] of mutations) if (index < bytes.length) bytes[index] = value;
          try {
            parsePart10(bytes);
          } catch (error) {
            expect(error).toBeInstanceOf(PacsError);
            expect(['DICOM_PARSE_ERROR', 'UNSUPPORTED_TRANSFER_SYNTAX']).toContain((error as PacsError).code);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws anything but a PacsError on corrupted files of every encoding', () => {
    const files = [
      'MR_small_implicit.dcm',
      'MR_small_bigendian.dcm',
      'image_dfl.dcm',
      'SC_rgb_rle_2frame.dcm',
      'nested_priv_SQ.dcm',
      'UN_sequence.dcm',
      'rtplan.dcm',
      'ExplVR_BigEndNoMeta.dcm',
    ].map((name) => readTestFile(name));
    fc.assert(
      fc.property(
        fc.nat({ max: files.length - 1 }),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 6 }),
        (fileIndex, cutSeed, mutations) => {
          const original = files[fileIndex]!;
          const bytes = original.slice(0, original.length - (cutSeed % 64));
          for (const [index, value] of mutations) bytes[index % bytes.length] = value;
          try {
            parsePart10(bytes);
          } catch (error) {
            expect(error).toBeInstanceOf(PacsError);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reads zero-filled input in linear time (regression: trailing-padding scan per attribute)', () => {
    // 2 MB of zero bytes then one non-zero byte: 262,144 empty (0000,0000) attributes in implicit VR.
    const bytes = new Uint8Array(2 * 1024 * 1024 + 1);
    bytes[bytes.length - 1] = 1;
    expect(() => parsePart10(bytes)).toThrow(PacsError);
  });

  it('never throws anything but a PacsError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        try {
          parsePart10(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(PacsError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('writePart10', () => {
  it('generates the meta header and defaults to explicit VR little endian', () => {
    const dataset: DicomJsonDataset = {
      '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
      '00080018': { vr: 'UI', Value: ['1.2.3.4'] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
      '00091010': { vr: 'OB', InlineBinary: 'AQID' },
    };
    const written = writePart10({ dataset });
    expect(new TextDecoder().decode(written.subarray(128, 132))).toBe('DICM');
    const parsed = parsePart10(written);
    expect(parsed.transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(parsed.meta['00020002']?.Value).toEqual(['1.2.840.10008.5.1.4.1.1.7']);
    expect(parsed.meta['00020003']?.Value).toEqual(['1.2.3.4']);
    expect(parsed.dataset['00091010']).toEqual({ vr: 'OB', InlineBinary: 'AQIDAA==' });
    expect(parsed.dataset['00100010']?.Value).toEqual([{ Alphabetic: 'Doe^Jane' }]);
  });

  it('writes every native transfer syntax and reads it back the same', () => {
    const { dataset } = parsePart10(readTestFile('MR_small.dcm'));
    for (const uid of [
      '1.2.840.10008.1.2',
      '1.2.840.10008.1.2.1',
      '1.2.840.10008.1.2.2',
      '1.2.840.10008.1.2.1.99',
    ]) {
      const reparsed = parsePart10(writePart10({ dataset, transferSyntaxUID: uid }));
      expect(reparsed.transferSyntaxUID).toBe(uid);
      expect(reparsed.dataset).toEqual(dataset);
    }
  });

  it('rejects malformed DICOM JSON with INVALID_ARGUMENT, never a TypeError', () => {
    const malformed = [
      { '00100010': { vr: 'PN', Value: 'Doe' } },
      { '00081140': { vr: 'SQ', Value: ['not an item'] } },
      { '00280010': { vr: 'US', Value: ['many'] } },
      { '00080054': { vr: 'AT', Value: ['nope'] } },
      { '00091010': { vr: 'OB', InlineBinary: '***' } },
      { '00091010': { vr: 'OB', BulkDataURI: 'https://example.org/bulk' } },
      { 'not-a-tag': { vr: 'LO', Value: ['x'] } },
      { '00100020': { vr: 'LO', Value: ['x'.repeat(70000)] } },
    ] as unknown as DicomJsonDataset[];
    for (const dataset of malformed) {
      expect(() => writePart10({ dataset }), JSON.stringify(dataset).slice(0, 60)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
  });

  it('refuses native Pixel Data in an encapsulated transfer syntax', () => {
    const { dataset } = parsePart10(readTestFile('MR_small.dcm'));
    expect(() => writePart10({ dataset, transferSyntaxUID: '1.2.840.10008.1.2.4.50' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('rejects an unknown transfer syntax', () => {
    expect(() => writePart10({ dataset: {}, transferSyntaxUID: '1.2.3' })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_TRANSFER_SYNTAX' }),
    );
  });
});
