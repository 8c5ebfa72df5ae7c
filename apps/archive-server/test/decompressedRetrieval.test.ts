import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DicomJsonDataset, parsePart10, writePart10 } from '@pacskit/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../src/part10/ByteSource.js';
import { readPart10 } from '../src/part10/readPart10.js';
import { newUid, stowBody } from '../src/testing/generateInstance.js';
import { pydicomTestFile } from '../src/testing/testFiles.js';
import { auth, multipartParts, startArchive } from './helpers.js';

/**
 * WADO-RS retrieval of compressed instances in Explicit VR Little Endian (issue 3: "at least the
 * original and Explicit VR Little Endian") at study, series, instance and frame level. Pixels are
 * compared with DCMTK's decompression of the same file (dcmdrle, dcmdjpls, dcmdjpeg) or, where
 * DCMTK has no codec (JPEG 2000, HTJ2K), with the uncompressed original of a lossless file.
 */
type Started = Awaited<ReturnType<typeof startArchive>>;
let started: Started;
let workDir: string;
const explicitVRLittleEndian = '1.2.840.10008.1.2.1';
const studyInstanceUID = newUid();
const seriesInstanceUID = newUid();
const lossyStudyInstanceUID = newUid();

interface Stored {
  name: string;
  sopInstanceUID: string;
  reference: Buffer;
  tolerance: number;
  photometric: string;
  frames: number;
}
const stored: Stored[] = [];
let twelveBitSOPInstanceUID: string;

function nativePixels(bytes: Buffer): Buffer {
  const location = readPart10(new BufferSource(bytes)).pixelData;
  expect(location?.encapsulated).toBe(false);
  return bytes.subarray(location?.offset, (location?.offset ?? 0) + (location?.length ?? 0));
}

function dcmtkPixels(tool: string, name: string, ...options: string[]): Buffer {
  const out = join(workDir, `${tool}-${name}`);
  execFileSync(tool, [...options, pydicomTestFile(name), out], { stdio: 'pipe' });
  return nativePixels(readFileSync(out));
}

/** A copy of a file under this test's study and series, a fresh SOP Instance UID. */
function copyOf(bytes: Buffer, study = studyInstanceUID): { bytes: Buffer; sopInstanceUID: string } {
  const parsed = parsePart10(bytes);
  const sopInstanceUID = newUid();
  const dataset: DicomJsonDataset = {
    ...parsed.dataset,
    '0020000D': { vr: 'UI', Value: [study] },
    '0020000E': { vr: 'UI', Value: [study === studyInstanceUID ? seriesInstanceUID : newUid()] },
    '00080018': { vr: 'UI', Value: [sopInstanceUID] },
  };
  return {
    bytes: Buffer.from(writePart10({ dataset, transferSyntaxUID: parsed.transferSyntaxUID })),
    sopInstanceUID,
  };
}

/** Encapsulated Pixel Data of one fragment: empty Basic Offset Table, then the frame (PS3.5 A.4). */
function itemStream(fragment: Uint8Array): string {
  const padded = fragment.length % 2 ? Buffer.concat([fragment, Buffer.alloc(1)]) : Buffer.from(fragment);
  const header = (length: number) => {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt16LE(0xfffe, 0);
    bytes.writeUInt16LE(0xe000, 2);
    bytes.writeUInt32LE(length, 4);
    return bytes;
  };
  return Buffer.concat([header(0), header(padded.length), padded]).toString('base64');
}

/**
 * pydicom ships no HTJ2K file: a native RGB file encoded lossless with OpenJPH's encoder, through
 * the reversible colour transform (so YBR_RCT, PS3.5 8.2.4), whose decompression must give the
 * native pixels back and say RGB.
 */
async function htj2kOf(nativeName: string): Promise<Buffer> {
  const source = parsePart10(readFileSync(pydicomTestFile(nativeName)));
  const pixels = Buffer.from(source.dataset['7FE00010']?.InlineBinary as string, 'base64');
  const number = (tag: string) => Number(source.dataset[tag]?.Value?.[0]);
  const factory = createRequire(import.meta.url)('@cornerstonejs/codec-openjph/wasmjs') as () => Promise<{
    HTJ2KEncoder: new () => {
      getDecodedBuffer(info: object): Uint8Array;
      setQuality(lossless: boolean, step: number): void;
      encode(): void;
      getEncodedBuffer(): Uint8Array;
    };
  }>;
  const encoder = new (await factory()).HTJ2KEncoder();
  const length = number('00280010') * number('00280011') * number('00280002') * (number('00280100') / 8);
  encoder
    .getDecodedBuffer({
      width: number('00280011'),
      height: number('00280010'),
      bitsPerSample: number('00280100'),
      componentCount: number('00280002'),
      isSigned: false,
      isUsingColorTransform: true,
    })
    .set(pixels.subarray(0, length));
  encoder.setQuality(true, 0);
  encoder.encode();
  const dataset: DicomJsonDataset = {
    ...source.dataset,
    '00280004': { vr: 'CS', Value: ['YBR_RCT'] },
    '7FE00010': { vr: 'OB', InlineBinary: itemStream(encoder.getEncodedBuffer()) },
  };
  return Buffer.from(writePart10({ dataset, transferSyntaxUID: '1.2.840.10008.1.2.4.201' }));
}

async function stow(files: Buffer[]): Promise<void> {
  const { body, contentType } = stowBody(files);
  const response = await started.archive.app.inject({
    method: 'POST',
    url: '/dicom-web/studies',
    headers: { authorization: auth, 'content-type': contentType },
    payload: body,
  });
  expect(response.statusCode, response.body.slice(0, 500)).toBeLessThan(300);
}

function get(url: string, accept: string) {
  return started.archive.app.inject({ method: 'GET', url, headers: { authorization: auth, accept } });
}

const dicomInExplicitVR = `multipart/related; type="application/dicom"; transfer-syntax=${explicitVRLittleEndian}`;

function maxDifference(actual: Buffer, expected: Buffer): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++)
    max = Math.max(max, Math.abs((actual[i] as number) - (expected[i] as number)));
  return max;
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pacskit-decompress-'));
  started = await startArchive();
  const sources: Array<Omit<Stored, 'sopInstanceUID'> & { bytes: Buffer }> = [
    {
      name: 'SC_rgb_rle_2frame.dcm',
      bytes: readFileSync(pydicomTestFile('SC_rgb_rle_2frame.dcm')),
      reference: dcmtkPixels('dcmdrle', 'SC_rgb_rle_2frame.dcm'),
      tolerance: 0,
      photometric: 'RGB',
      frames: 2,
    },
    {
      name: 'MR_small_jpeg_ls_lossless.dcm',
      bytes: readFileSync(pydicomTestFile('MR_small_jpeg_ls_lossless.dcm')),
      reference: dcmtkPixels('dcmdjpls', 'MR_small_jpeg_ls_lossless.dcm'),
      tolerance: 0,
      photometric: 'MONOCHROME2',
      frames: 1,
    },
    {
      name: 'MR_small_jp2klossless.dcm',
      bytes: readFileSync(pydicomTestFile('MR_small_jp2klossless.dcm')),
      reference: nativePixels(readFileSync(pydicomTestFile('MR_small.dcm'))),
      tolerance: 0,
      photometric: 'MONOCHROME2',
      frames: 1,
    },
    {
      name: 'SC_rgb_jpeg_dcmtk.dcm',
      bytes: readFileSync(pydicomTestFile('SC_rgb_jpeg_dcmtk.dcm')),
      reference: dcmtkPixels('dcmdjpeg', 'SC_rgb_jpeg_dcmtk.dcm', '+cp'),
      tolerance: 2,
      photometric: 'RGB',
      frames: 1,
    },
    {
      name: 'HTJ2K of SC_rgb_small_odd.dcm',
      bytes: await htj2kOf('SC_rgb_small_odd.dcm'),
      reference: nativePixels(readFileSync(pydicomTestFile('SC_rgb_small_odd.dcm'))),
      tolerance: 0,
      photometric: 'RGB',
      frames: 1,
    },
  ];
  const copies = sources.map((source) => ({ source, copy: copyOf(source.bytes) }));
  await stow(copies.map(({ copy }) => copy.bytes));
  for (const { source, copy } of copies) {
    const { bytes: _bytes, ...rest } = source;
    stored.push({ ...rest, sopInstanceUID: copy.sopInstanceUID });
  }
  // 12-bit extended JPEG (Process 4): no decoder here reads it.
  const twelveBit = copyOf(readFileSync(pydicomTestFile('JPEG-lossy.dcm')), lossyStudyInstanceUID);
  await stow([twelveBit.bytes]);
  twelveBitSOPInstanceUID = twelveBit.sopInstanceUID;
}, 60_000);

afterAll(async () => {
  await started.cleanup();
  rmSync(workDir, { recursive: true, force: true });
});

function checkParts(parts: Array<{ headers: string; body: Buffer }>, expected: Stored[]): void {
  expect(parts).toHaveLength(expected.length);
  for (const part of parts) {
    expect(part.headers).toContain(`transfer-syntax=${explicitVRLittleEndian}`);
    const parsed = readPart10(new BufferSource(part.body));
    const instance = expected.find((s) => s.sopInstanceUID === parsed.dataset['00080018']?.Value?.[0]);
    expect(instance, 'a part for each stored instance').toBeDefined();
    const { name, reference, tolerance, photometric } = instance as Stored;
    expect(parsed.transferSyntaxUID, name).toBe(explicitVRLittleEndian);
    expect(parsed.dataset['00280004']?.Value?.[0], name).toBe(photometric);
    expect(maxDifference(nativePixels(part.body), reference), name).toBeLessThanOrEqual(tolerance);
    expect(new Set(nativePixels(part.body)).size, name).toBeGreaterThan(4);
  }
}

describe('WADO-RS retrieve of compressed instances in Explicit VR Little Endian', () => {
  it('study: every instance decompressed, pixels equal to the reference decoders', async () => {
    const response = await get(`/dicom-web/studies/${studyInstanceUID}`, dicomInExplicitVR);
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    checkParts(multipartParts(response.rawPayload, response.headers['content-type'] as string), stored);
  });

  it('series and instance', async () => {
    const series = await get(
      `/dicom-web/studies/${studyInstanceUID}/series/${seriesInstanceUID}`,
      dicomInExplicitVR,
    );
    expect(series.statusCode).toBe(200);
    checkParts(multipartParts(series.rawPayload, series.headers['content-type'] as string), stored);
    const first = stored[0] as Stored;
    const instance = await get(
      `/dicom-web/studies/${studyInstanceUID}/series/${seriesInstanceUID}/instances/${first.sopInstanceUID}`,
      dicomInExplicitVR,
    );
    expect(instance.statusCode).toBe(200);
    checkParts(multipartParts(instance.rawPayload, instance.headers['content-type'] as string), [first]);
  });

  it('frames as application/octet-stream: each frame decoded, equal to its slice of the reference', async () => {
    for (const instance of stored) {
      const frameList = Array.from({ length: instance.frames }, (_, i) => i + 1).join(',');
      for (const accept of [
        `multipart/related; type="application/octet-stream"; transfer-syntax=${explicitVRLittleEndian}`,
        'multipart/related; type="application/octet-stream"',
      ]) {
        const response = await get(
          `/dicom-web/studies/${studyInstanceUID}/series/${seriesInstanceUID}/instances/${instance.sopInstanceUID}/frames/${frameList}`,
          accept,
        );
        expect(response.statusCode, `${instance.name}: ${response.body.slice(0, 300)}`).toBe(200);
        const parts = multipartParts(response.rawPayload, response.headers['content-type'] as string);
        expect(parts).toHaveLength(instance.frames);
        // The reference's Pixel Data may end in one padding byte (PS3.5 8.1.1); frames carry none.
        const frameLength = parts[0]?.body.length ?? 0;
        expect([0, 1]).toContain(instance.reference.length - frameLength * instance.frames);
        parts.forEach((part, index) => {
          expect(part.headers).toContain('application/octet-stream');
          const expected = instance.reference.subarray(index * frameLength, (index + 1) * frameLength);
          expect(maxDifference(part.body, expected), instance.name).toBeLessThanOrEqual(instance.tolerance);
        });
      }
    }
  });

  it('WADO-URI with transferSyntax=1.2.840.10008.1.2.1 decompresses too', async () => {
    for (const instance of stored) {
      const response = await get(
        `/wado?requestType=WADO&studyUID=${studyInstanceUID}&seriesUID=${seriesInstanceUID}&objectUID=${instance.sopInstanceUID}&contentType=application/dicom&transferSyntax=${explicitVRLittleEndian}`,
        '*/*',
      );
      expect(response.statusCode, `${instance.name}: ${response.body.slice(0, 300)}`).toBe(200);
      expect(readPart10(new BufferSource(response.rawPayload)).transferSyntaxUID).toBe(
        explicitVRLittleEndian,
      );
      expect(
        maxDifference(nativePixels(response.rawPayload), instance.reference),
        instance.name,
      ).toBeLessThanOrEqual(instance.tolerance);
    }
  });

  it('answers 406 when a frame cannot be decoded (12-bit JPEG), and still serves it as stored', async () => {
    const base = `/dicom-web/studies/${lossyStudyInstanceUID}`;
    expect((await get(base, dicomInExplicitVR)).statusCode).toBe(406);
    const asStored = await get(base, 'multipart/related; type="application/dicom"; transfer-syntax=*');
    expect(asStored.statusCode).toBe(200);
    const instances = await started.archive.app.inject({
      method: 'GET',
      url: `${base}/instances`,
      headers: { authorization: auth, accept: 'application/dicom+json' },
    });
    const series = (instances.json() as DicomJsonDataset[])[0]?.['0020000E']?.Value?.[0] as string;
    const frames = await get(
      `${base}/series/${series}/instances/${twelveBitSOPInstanceUID}/frames/1`,
      `multipart/related; type="application/octet-stream"; transfer-syntax=${explicitVRLittleEndian}`,
    );
    expect(frames.statusCode).toBe(406);
  });
});
