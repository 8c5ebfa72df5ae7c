import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DicomJsonDataset, parsePart10, splitEncapsulatedPixelData, writePart10 } from '@pacskit/dicom';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUid, stowBody } from '../src/testing/generateInstance.js';
import { pydicomTestFile } from '../src/testing/testFiles.js';
import { auth, startArchive, value } from './helpers.js';

/**
 * Rendered output of every common transfer syntax, compared pixel by pixel against DCMTK's
 * dcmj2pnm (JPEG, JPEG-LS, RLE, palette) or, where DCMTK has no decoder (JPEG 2000, HTJ2K),
 * against dcmj2pnm's rendering of the same pixels stored uncompressed.
 */
type Started = Awaited<ReturnType<typeof startArchive>>;
let started: Started;
let workDir: string;

function file(name: string): string {
  return join(workDir, name);
}

function dcmtk(tool: string, ...args: string[]): void {
  execFileSync(tool, args, { stdio: 'pipe' });
}

/**
 * dcmj2pnm's PNG of one frame with an explicit linear window (or none for colour), decoded to raw
 * pixels. Debian's dcmj2pnm has no JPEG-LS codec, so JPEG-LS goes through dcmdjpls first.
 */
async function reference(
  path: string,
  options: { window?: [number, number]; frame?: number; jpegLs?: boolean } = {},
) {
  const name = Math.random().toString(36).slice(2);
  const out = file(`reference-${name}.png`);
  let input = path;
  if (options.jpegLs) {
    input = file(`reference-${name}.dcm`);
    dcmtk('dcmdjpls', path, input);
  }
  dcmtk(
    'dcmj2pnm',
    '+on',
    ...(options.window ? ['+Ww', String(options.window[0]), String(options.window[1])] : []),
    ...(options.frame ? ['+F', String(options.frame)] : []),
    input,
    out,
  );
  return sharp(readFileSync(out)).raw().toBuffer({ resolveWithObject: true });
}

function instanceUrl(dataset: DicomJsonDataset): string {
  return `/dicom-web/studies/${value(dataset, '0020000D')}/series/${value(dataset, '0020000E')}/instances/${value(dataset, '00080018')}`;
}

async function rendered(dataset: DicomJsonDataset, query: string, frame?: number) {
  const base = instanceUrl(dataset);
  const response = await started.archive.app.inject({
    method: 'GET',
    url: `${base}${frame ? `/frames/${frame}` : ''}/rendered${query}`,
    headers: { authorization: auth, accept: 'image/png' },
  });
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  return sharp(response.rawPayload).raw().toBuffer({ resolveWithObject: true });
}

type Raw = Awaited<ReturnType<typeof reference>>;
function maxDifference(actual: Raw, expected: Raw): number {
  expect([actual.info.width, actual.info.height, actual.info.channels]).toEqual([
    expected.info.width,
    expected.info.height,
    expected.info.channels,
  ]);
  let max = 0;
  for (let i = 0; i < expected.data.length; i++) {
    max = Math.max(max, Math.abs((actual.data[i] as number) - (expected.data[i] as number)));
  }
  return max;
}

/** Distinct values, so a test cannot pass on a blank image. */
function distinctValues(raw: Raw): number {
  return new Set(raw.data).size;
}

/**
 * Stores each file under fresh UIDs: several pydicom files (MR_small and its JPEG-LS, JPEG 2000
 * and big-endian versions; dcmcjpeg's lossless output) share one SOP Instance UID, and a duplicate
 * would render the first copy stored instead of the file under test.
 */
async function store(paths: string[]): Promise<DicomJsonDataset[]> {
  const copies = paths.map((path) => {
    const parsed = parsePart10(readFileSync(path));
    const dataset = withNewUids(parsed.dataset);
    return {
      dataset,
      bytes: Buffer.from(writePart10({ dataset, transferSyntaxUID: parsed.transferSyntaxUID })),
    };
  });
  const { body, contentType } = stowBody(copies.map((copy) => copy.bytes));
  const response = await started.archive.app.inject({
    method: 'POST',
    url: '/dicom-web/studies',
    headers: { authorization: auth, 'content-type': contentType },
    payload: body,
  });
  expect(response.statusCode, response.body.slice(0, 500)).toBeLessThan(300); // 202: stored with warnings
  expect(response.json()['00081199']?.Value).toHaveLength(paths.length);
  return copies.map((copy) => copy.dataset);
}

/** A fresh copy of a file with new UIDs, so several variants of one image can be stored side by side. */
function withNewUids(dataset: DicomJsonDataset): DicomJsonDataset {
  return {
    ...dataset,
    '0020000D': { vr: 'UI', Value: [newUid()] },
    '0020000E': { vr: 'UI', Value: [newUid()] },
    '00080018': { vr: 'UI', Value: [newUid()] },
  };
}

/** Wraps one compressed frame as encapsulated Pixel Data: empty Basic Offset Table, one fragment (PS3.5 A.4). */
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
 * A native file's pixels encoded as HTJ2K lossless with OpenJPH's encoder (pydicom has no HTJ2K
 * file); colour goes through the reversible colour transform and is labelled YBR_RCT (PS3.5 8.2.4).
 */
async function writeHtj2k(path: string, nativePath: string): Promise<void> {
  const source = parsePart10(readFileSync(nativePath));
  const pixels = Buffer.from(source.dataset['7FE00010']?.InlineBinary as string, 'base64');
  const number = (tag: string) => Number(source.dataset[tag]?.Value?.[0]);
  const colour = number('00280002') === 3;
  const factory = createRequire(import.meta.url)('@cornerstonejs/codec-openjph/wasmjs') as () => Promise<{
    HTJ2KEncoder: new () => {
      getDecodedBuffer(info: object): Uint8Array;
      setQuality(lossless: boolean, step: number): void;
      encode(): void;
      getEncodedBuffer(): Uint8Array;
    };
  }>;
  const encoder = new (await factory()).HTJ2KEncoder();
  encoder
    .getDecodedBuffer({
      width: number('00280011'),
      height: number('00280010'),
      bitsPerSample: number('00280100'),
      componentCount: number('00280002'),
      isSigned: number('00280103') === 1,
      isUsingColorTransform: colour,
    })
    .set(
      pixels.subarray(
        0,
        number('00280010') * number('00280011') * number('00280002') * (number('00280100') / 8),
      ),
    );
  encoder.setQuality(true, 0);
  encoder.encode();
  const dataset: DicomJsonDataset = {
    ...withNewUids(source.dataset),
    '00280008': { vr: 'IS', Value: [1] },
    '7FE00010': { vr: 'OB', InlineBinary: itemStream(encoder.getEncodedBuffer()) },
    ...(colour ? { '00280004': { vr: 'CS', Value: ['YBR_RCT'] } } : {}),
  };
  writeFileSync(path, writePart10({ dataset, transferSyntaxUID: '1.2.840.10008.1.2.4.201' }));
}

/** A PALETTE COLOR image (8- or 16-bit indices) with a 16-bit lookup table: pydicom's deb ships none. */
function writePalette(path: string, bits: 8 | 16): void {
  const rows = 32;
  const columns = 48;
  const entries = bits === 8 ? 256 : 4096;
  const firstMapped = bits === 8 ? 0 : 100;
  const indices = Buffer.alloc(rows * columns * (bits / 8));
  for (let i = 0; i < rows * columns; i++) {
    const index = firstMapped - 20 + ((i * 7) % (entries + 40)); // also below and above the table
    if (bits === 8) indices[i] = Math.max(0, Math.min(255, index));
    else indices.writeUInt16LE(Math.max(0, index), i * 2);
  }
  const lut = (f: (i: number) => number) => {
    const data = Buffer.alloc(entries * 2);
    for (let i = 0; i < entries; i++) data.writeUInt16LE(f(i) & 0xffff, i * 2);
    return data.toString('base64');
  };
  const descriptor = { vr: 'US' as const, Value: [entries, firstMapped, 16] };
  const dataset: DicomJsonDataset = {
    '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
    '00080018': { vr: 'UI', Value: [newUid()] },
    '00080060': { vr: 'CS', Value: ['OT'] },
    '00100020': { vr: 'LO', Value: ['PALETTE'] },
    '0020000D': { vr: 'UI', Value: [newUid()] },
    '0020000E': { vr: 'UI', Value: [newUid()] },
    '00280002': { vr: 'US', Value: [1] },
    '00280004': { vr: 'CS', Value: ['PALETTE COLOR'] },
    '00280010': { vr: 'US', Value: [rows] },
    '00280011': { vr: 'US', Value: [columns] },
    '00280100': { vr: 'US', Value: [bits] },
    '00280101': { vr: 'US', Value: [bits] },
    '00280102': { vr: 'US', Value: [bits - 1] },
    '00280103': { vr: 'US', Value: [0] },
    '00281101': descriptor,
    '00281102': descriptor,
    '00281103': descriptor,
    '00281201': { vr: 'OW', InlineBinary: lut((i) => Math.round((i / (entries - 1)) * 65535)) },
    '00281202': { vr: 'OW', InlineBinary: lut((i) => ((i * 977) % entries) * Math.floor(65536 / entries)) },
    '00281203': { vr: 'OW', InlineBinary: lut((i) => 65535 - Math.round((i / (entries - 1)) * 65535)) },
    '7FE00010': { vr: bits === 8 ? 'OB' : 'OW', InlineBinary: indices.toString('base64') },
  };
  writeFileSync(path, writePart10({ dataset }));
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pacskit-render-'));
  started = await startArchive();
}, 60_000);
afterAll(async () => {
  await started.cleanup();
  rmSync(workDir, { recursive: true, force: true });
});

describe('rendered pixels match a reference decoder', () => {
  it('JPEG-LS lossless (pydicom MR_small_jpeg_ls_lossless) with a request window', async () => {
    const path = pydicomTestFile('MR_small_jpeg_ls_lossless.dcm');
    const [dataset] = await store([path]);
    const ours = await rendered(dataset as DicomJsonDataset, '?window=600,1600');
    expect(
      maxDifference(ours, await reference(path, { window: [600, 1600], jpegLs: true })),
    ).toBeLessThanOrEqual(1);
    expect(distinctValues(ours)).toBeGreaterThan(50);
  });

  it('JPEG-LS signed CT with Rescale Intercept (dcmcjpls of CT_small)', async () => {
    const path = file('ct-jls.dcm');
    dcmtk('dcmcjpls', pydicomTestFile('CT_small.dcm'), path);
    const [dataset] = await store([path]);
    const ours = await rendered(dataset as DicomJsonDataset, '?window=40,400');
    expect(
      maxDifference(ours, await reference(path, { window: [40, 400], jpegLs: true })),
    ).toBeLessThanOrEqual(1);
    expect(distinctValues(ours)).toBeGreaterThan(50);
  });

  it('JPEG-LS near-lossless colour, multi-frame: frames/1 and frames/2 (dcmcjpls of SC_rgb_rle_2frame)', async () => {
    const native = file('rgb-2frame-native.dcm');
    const path = file('rgb-2frame-jls.dcm');
    dcmtk('dcmdrle', pydicomTestFile('SC_rgb_rle_2frame.dcm'), native);
    dcmtk('dcmcjpls', '+en', '+md', '2', native, path);
    const [dataset] = await store([path]);
    const first = await rendered(dataset as DicomJsonDataset, '', 1);
    const second = await rendered(dataset as DicomJsonDataset, '', 2);
    expect(maxDifference(first, await reference(path, { frame: 1, jpegLs: true }))).toBeLessThanOrEqual(1);
    expect(maxDifference(second, await reference(path, { frame: 2, jpegLs: true }))).toBeLessThanOrEqual(1);
    expect(first.data.equals(second.data)).toBe(false);
  });

  it('JPEG Lossless SV1 colour (pydicom SC_rgb_jpeg_gdcm), 16-bit signed MR SV1 and Process 14 SV6 (dcmcjpeg of MR_small)', async () => {
    const colour = pydicomTestFile('SC_rgb_jpeg_gdcm.dcm');
    const mr = file('mr-jpeg-lossless.dcm');
    dcmtk('dcmcjpeg', '+e1', pydicomTestFile('MR_small.dcm'), mr);
    const [colourDataset, mrDataset] = await store([colour, mr]);
    const ours = await rendered(colourDataset as DicomJsonDataset, '');
    expect(maxDifference(ours, await reference(colour))).toBeLessThanOrEqual(1);
    expect(distinctValues(ours)).toBeGreaterThan(3);
    const grey = await rendered(mrDataset as DicomJsonDataset, '?window=600,1600');
    expect(maxDifference(grey, await reference(mr, { window: [600, 1600] }))).toBeLessThanOrEqual(1);
    // Process 14 with a selection value other than 1 (1.2.840.10008.1.2.4.57).
    const process14 = file('mr-jpeg-process14.dcm');
    dcmtk('dcmcjpeg', '+el', '+sv', '6', pydicomTestFile('MR_small.dcm'), process14);
    const [process14Dataset] = await store([process14]);
    const process14Grey = await rendered(process14Dataset as DicomJsonDataset, '?window=600,1600');
    expect(
      maxDifference(process14Grey, await reference(process14, { window: [600, 1600] })),
    ).toBeLessThanOrEqual(1);
  });

  it('JPEG 2000 lossless (pydicom MR_small_jp2klossless) matches the uncompressed MR_small', async () => {
    const path = pydicomTestFile('MR_small_jp2klossless.dcm');
    const [dataset] = await store([path]);
    const ours = await rendered(dataset as DicomJsonDataset, '?window=600,1600');
    const expected = await reference(pydicomTestFile('MR_small.dcm'), { window: [600, 1600] });
    expect(maxDifference(ours, expected)).toBeLessThanOrEqual(1);
  });

  it('JPEG 2000 lossy (pydicom JPEG2000.dcm) renders to the size of the image and not blank', async () => {
    const [dataset] = await store([pydicomTestFile('JPEG2000.dcm')]);
    const ours = await rendered(dataset as DicomJsonDataset, '');
    expect([ours.info.width, ours.info.height]).toEqual([
      value(dataset, '00280011'),
      value(dataset, '00280010'),
    ]);
    expect(distinctValues(ours)).toBeGreaterThan(50);
  });

  it('HTJ2K lossless (OpenJPH-encoded MR_small) matches the uncompressed MR_small', async () => {
    const path = file('mr-htj2k.dcm');
    await writeHtj2k(path, pydicomTestFile('MR_small.dcm'));
    const [dataset] = await store([path]);
    const ours = await rendered(dataset as DicomJsonDataset, '?window=600,1600');
    const expected = await reference(pydicomTestFile('MR_small.dcm'), { window: [600, 1600] });
    expect(maxDifference(ours, expected)).toBeLessThanOrEqual(1);
  });

  it('HTJ2K lossless colour with the reversible colour transform (YBR_RCT) matches the RGB original', async () => {
    const native = file('rgb-native.dcm');
    const path = file('rgb-htj2k.dcm');
    dcmtk('dcmdrle', pydicomTestFile('SC_rgb_rle.dcm'), native);
    await writeHtj2k(path, native);
    const [dataset] = await store([path]);
    const ours = await rendered(dataset as DicomJsonDataset, '');
    expect(maxDifference(ours, await reference(native))).toBeLessThanOrEqual(1);
    expect(distinctValues(ours)).toBeGreaterThan(3);
  });

  it('JPEG 2000 colour (pydicom SC_rgb_gdcm_KY) is close to the same image losslessly stored (SC_rgb_rle)', async () => {
    const [dataset] = await store([pydicomTestFile('SC_rgb_gdcm_KY.dcm')]);
    const ours = await rendered(dataset as DicomJsonDataset, '');
    expect(maxDifference(ours, await reference(pydicomTestFile('SC_rgb_rle.dcm')))).toBeLessThanOrEqual(1);
  });

  it('WADO-URI image/jpeg of a JPEG 2000 instance, and 406 for 12-bit JPEG (pydicom JPGExtended)', async () => {
    const [j2k, twelveBit] = await store([
      pydicomTestFile('MR_small_jp2klossless.dcm'),
      pydicomTestFile('JPGExtended.dcm'),
    ]);
    const wado = (dataset: DicomJsonDataset) =>
      started.archive.app.inject({
        method: 'GET',
        url: `/wado?requestType=WADO&studyUID=${value(dataset, '0020000D')}&seriesUID=${value(dataset, '0020000E')}&objectUID=${value(dataset, '00080018')}&contentType=image/jpeg`,
        headers: { authorization: auth },
      });
    const image = await wado(j2k as DicomJsonDataset);
    expect(image.statusCode).toBe(200);
    const { info } = await sharp(image.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([64, 64]);
    const refused = await wado(twelveBit as DicomJsonDataset);
    expect(refused.statusCode).toBe(406);
    expect(refused.json().error.message).toMatch(/12-bit JPEG/);
  });

  it.each([
    'SC_jpeg_no_color_transform.dcm', // RGB without JFIF/Adobe markers: no colour transform
    'SC_jpeg_no_color_transform_2.dcm',
    'SC_rgb_dcmtk_+eb+cr.dcm',
    'SC_rgb_dcmtk_+eb+cy+n1.dcm',
    'SC_rgb_dcmtk_+eb+cy+np.dcm',
    'SC_rgb_dcmtk_+eb+cy+s2.dcm',
    'SC_rgb_jpeg_app14_dcmd.dcm',
    'SC_rgb_small_odd_jpeg.dcm',
  ])('baseline JPEG colour %s', async (name) => {
    const path = pydicomTestFile(name);
    const [dataset] = await store([path]);
    const ours = await rendered(dataset as DicomJsonDataset, '');
    expect(maxDifference(ours, await reference(path))).toBeLessThanOrEqual(1);
  });

  it('native big endian (pydicom MR_small_bigendian) matches MR_small', async () => {
    const [dataset] = await store([pydicomTestFile('MR_small_bigendian.dcm')]);
    const ours = await rendered(dataset as DicomJsonDataset, '?window=600,1600');
    const expected = await reference(pydicomTestFile('MR_small.dcm'), { window: [600, 1600] });
    expect(maxDifference(ours, expected)).toBeLessThanOrEqual(1);
  });

  it('PALETTE COLOR with 8-bit and 16-bit indices', async () => {
    const eight = file('palette-8.dcm');
    const sixteen = file('palette-16.dcm');
    writePalette(eight, 8);
    writePalette(sixteen, 16);
    const [eightDataset, sixteenDataset] = await store([eight, sixteen]);
    for (const [dataset, path] of [
      [eightDataset, eight],
      [sixteenDataset, sixteen],
    ] as const) {
      const ours = await rendered(dataset as DicomJsonDataset, '');
      expect(ours.info.channels).toBe(3);
      expect(maxDifference(ours, await reference(path))).toBeLessThanOrEqual(1);
      expect(distinctValues(ours)).toBeGreaterThan(50);
    }
  });

  it('answers 406 CANNOT_RENDER for a truncated JPEG-LS frame and a JPEG 2000 frame of garbage', async () => {
    const broken = (name: string, transferSyntaxUID: string, corrupt: (frame: Buffer) => Buffer) => {
      const { dataset } = parsePart10(readFileSync(pydicomTestFile(name)));
      const items = Buffer.from(dataset['7FE00010']?.InlineBinary as string, 'base64');
      const fragment = splitEncapsulatedPixelData(items).fragments[0] as Uint8Array;
      const path = file(`broken-${name}`);
      writeFileSync(
        path,
        writePart10({
          dataset: {
            ...dataset,
            '7FE00010': { vr: 'OB', InlineBinary: itemStream(corrupt(Buffer.from(fragment))) },
          },
          transferSyntaxUID,
        }),
      );
      return path;
    };
    const paths = [
      broken('MR_small_jpeg_ls_lossless.dcm', '1.2.840.10008.1.2.4.80', (frame) => frame.subarray(0, 300)),
      broken('MR_small_jp2klossless.dcm', '1.2.840.10008.1.2.4.90', (frame) =>
        Buffer.alloc(frame.length, 0x5a),
      ),
    ];
    for (const dataset of await store(paths)) {
      const response = await started.archive.app.inject({
        method: 'GET',
        url: `${instanceUrl(dataset)}/rendered`,
        headers: { authorization: auth, accept: 'image/png' },
      });
      expect(response.statusCode).toBe(406);
      expect(response.json().error.code).toBe('CANNOT_RENDER');
    }
    // The server still renders a good frame afterwards.
    const [good] = await store([pydicomTestFile('MR_small_jp2klossless.dcm')]);
    expect((await rendered(good as DicomJsonDataset, '')).info.width).toBe(64);
  });

  it('refuses a segmented palette with 406 CANNOT_RENDER', async () => {
    const path = file('palette-segmented.dcm');
    writePalette(path, 8);
    const dataset = parsePart10(readFileSync(path)).dataset;
    for (const [data, segmented] of [
      ['00281201', '00281221'],
      ['00281202', '00281222'],
      ['00281203', '00281223'],
    ] as const) {
      delete dataset[data];
      dataset[segmented] = { vr: 'OW', InlineBinary: Buffer.from([0, 0, 255, 0, 0, 0]).toString('base64') };
    }
    writeFileSync(path, writePart10({ dataset: withNewUids(dataset) }));
    const [stored] = await store([path]);
    const base = instanceUrl(stored as DicomJsonDataset);
    const response = await started.archive.app.inject({
      method: 'GET',
      url: `${base}/rendered`,
      headers: { authorization: auth, accept: 'image/png' },
    });
    expect(response.statusCode).toBe(406);
    expect(response.json().error.code).toBe('CANNOT_RENDER');
    expect(response.json().error.message).toMatch(/segmented/);
  });
});
