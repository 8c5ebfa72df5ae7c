import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isPacsError, writePart10 } from '@pacskit/dicom';
import { afterAll, describe, expect, it } from 'vitest';
import { CodecWorkerPool } from '../render/CodecWorkerPool.js';
import { pydicomTestFile } from '../testing/testFiles.js';
import { BufferSource } from './ByteSource.js';
import { readPart10 } from './readPart10.js';
import { canTranscode, transcodePart10 } from './transcodePart10.js';
import { explicitVRLittleEndian, implicitVRLittleEndian } from './transferSyntax.js';

/**
 * Every conversion is checked against DCMTK: native syntaxes against dcmconv's output (the whole
 * data set as dcmdump prints it), compressed ones against dcmdrle/dcmdjpls/dcmdjpeg's Pixel Data
 * or, for JPEG 2000 (which Debian's DCMTK cannot decode), against the uncompressed original.
 */
const codecs = new CodecWorkerPool(1);
const workDir = mkdtempSync(join(tmpdir(), 'pacskit-transcode-'));
afterAll(async () => {
  await codecs.close();
  rmSync(workDir, { recursive: true, force: true });
});

async function transcode(name: string, to = explicitVRLittleEndian): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await transcodePart10(readFileSync(pydicomTestFile(name)), { to, codecs }))
    chunks.push(chunk);
  const out = join(workDir, `ours-${to}-${name}`);
  writeFileSync(out, Buffer.concat(chunks));
  return out;
}

function dcmtk(tool: string, input: string, ...options: string[]): string {
  const out = join(workDir, `${tool}-${options.join('')}-${input.split('/').pop()}`);
  execFileSync(tool, [...options, input, out], { stdio: 'pipe' });
  return out;
}

/** dcmdump's text of the data set only (the meta information names the writing implementation). */
function datasetDump(path: string): string {
  const text = execFileSync('dcmdump', ['+L', '-q', path], { encoding: 'utf8' });
  return text.slice(text.indexOf('# Dataset:')).split('\n').slice(1).join('\n');
}

function dumped(path: string, tag: string): string {
  return execFileSync('dcmdump', ['-q', '+P', tag, path], { encoding: 'utf8' }).trim();
}

function pixelData(path: string): Buffer {
  const bytes = readFileSync(path);
  const location = readPart10(new BufferSource(bytes)).pixelData;
  expect(location?.encapsulated).toBe(false);
  return bytes.subarray(location?.offset, (location?.offset ?? 0) + (location?.length ?? 0));
}

describe('transcodePart10, native syntaxes', () => {
  it.each(['MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'image_dfl.dcm'])(
    '%s to Explicit VR Little Endian: the data set dcmconv +te writes',
    async (name) => {
      const ours = await transcode(name);
      expect(dumped(ours, '0002,0010')).toContain('=LittleEndianExplicit');
      expect(datasetDump(ours)).toBe(datasetDump(dcmtk('dcmconv', pydicomTestFile(name), '+te')));
    },
  );

  it('MR_small.dcm to Implicit VR Little Endian: the data set dcmconv +ti writes', async () => {
    const ours = await transcode('MR_small.dcm', implicitVRLittleEndian);
    expect(dumped(ours, '0002,0010')).toContain('=LittleEndianImplicit');
    expect(datasetDump(ours)).toBe(datasetDump(dcmtk('dcmconv', pydicomTestFile('MR_small.dcm'), '+ti')));
  });

  it('says which conversions it can make', () => {
    expect(canTranscode(implicitVRLittleEndian, explicitVRLittleEndian)).toBe(true);
    expect(canTranscode(explicitVRLittleEndian, implicitVRLittleEndian)).toBe(true);
    expect(canTranscode('1.2.840.10008.1.2.4.50', explicitVRLittleEndian)).toBe(true);
    expect(canTranscode('1.2.840.10008.1.2.5', implicitVRLittleEndian)).toBe(true);
    expect(canTranscode(explicitVRLittleEndian, explicitVRLittleEndian)).toBe(false);
    expect(canTranscode(explicitVRLittleEndian, '1.2.840.10008.1.2.4.50')).toBe(false);
    // MPEG-2 has no decoder here.
    expect(canTranscode('1.2.840.10008.1.2.4.100', explicitVRLittleEndian)).toBe(false);
  });
});

describe('transcodePart10, decompression', () => {
  it.each([
    ['MR_small_RLE.dcm', 'dcmdrle'],
    ['SC_rgb_rle_2frame.dcm', 'dcmdrle'],
    ['SC_rgb_rle_16bit_2frame.dcm', 'dcmdrle'],
    ['SC_rgb_rle_32bit_2frame.dcm', 'dcmdrle'],
    ['rtdose_rle.dcm', 'dcmdrle'],
    ['MR_small_jpeg_ls_lossless.dcm', 'dcmdjpls'],
  ])('%s: the Pixel Data %s writes, byte for byte', async (name, tool) => {
    const ours = await transcode(name);
    const reference = dcmtk(tool, pydicomTestFile(name));
    expect(dumped(ours, '0002,0010')).toContain('=LittleEndianExplicit');
    const pixels = pixelData(ours);
    expect(pixels.equals(pixelData(reference))).toBe(true);
    expect(new Set(pixels).size).toBeGreaterThan(4);
    for (const tag of ['0028,0004', '0028,0006', '0028,0008', '0028,0100', '0028,0103'])
      expect(dumped(ours, tag)).toBe(dumped(reference, tag));
    // Lossless sources are not marked lossy.
    expect(dumped(ours, '0028,2110')).toBe('');
  });

  it('MR_small_jp2klossless.dcm (JPEG 2000 lossless): the pixels of MR_small.dcm', async () => {
    const ours = await transcode('MR_small_jp2klossless.dcm');
    expect(pixelData(ours).equals(pixelData(pydicomTestFile('MR_small.dcm')))).toBe(true);
    expect(dumped(ours, '7fe0,0010')).toMatch(/^\(7fe0,0010\) OW/);
  });

  it('SC_rgb_jpeg_dcmtk.dcm (baseline, YBR_FULL): RGB interleaved, marked lossy, pixels within 2 of dcmdjpeg', async () => {
    const ours = await transcode('SC_rgb_jpeg_dcmtk.dcm');
    const reference = dcmtk('dcmdjpeg', pydicomTestFile('SC_rgb_jpeg_dcmtk.dcm'), '+cp');
    expect(dumped(ours, '0028,0004')).toContain('[RGB]');
    expect(dumped(ours, '0028,0006')).toContain('US 0');
    expect(dumped(ours, '0028,2110')).toContain('[01]');
    expect(dumped(ours, '7fe0,0010')).toMatch(/^\(7fe0,0010\) OB/);
    const actual = pixelData(ours);
    const expected = pixelData(reference);
    expect(actual.length).toBe(expected.length);
    let maxDifference = 0;
    for (let i = 0; i < expected.length; i++)
      maxDifference = Math.max(maxDifference, Math.abs((actual[i] as number) - (expected[i] as number)));
    expect(maxDifference).toBeLessThanOrEqual(2);
  });

  it.each([
    ['+e1', '1.2.840.10008.1.2.4.70'],
    ['+el', '1.2.840.10008.1.2.4.57'],
  ])('JPEG Lossless written by dcmcjpeg %s (%s): the pixels of the original', async (option, syntax) => {
    const compressed = dcmtk('dcmcjpeg', pydicomTestFile('MR_small.dcm'), option);
    expect(readPart10(new BufferSource(readFileSync(compressed))).transferSyntaxUID).toBe(syntax);
    const chunks: Buffer[] = [];
    for await (const chunk of await transcodePart10(readFileSync(compressed), {
      to: explicitVRLittleEndian,
      codecs,
    }))
      chunks.push(chunk);
    const ours = join(workDir, `ours-${option}.dcm`);
    writeFileSync(ours, Buffer.concat(chunks));
    expect(pixelData(ours).equals(pixelData(pydicomTestFile('MR_small.dcm')))).toBe(true);
  });

  it('JPEG-LS near-lossless RGB written by dcmcjpls +en: the Pixel Data dcmdjpls decodes, marked lossy', async () => {
    // dcmcjpls encodes near-lossless for unsigned samples only (MR_small is signed); a 2-frame RGB image.
    const native = dcmtk('dcmdrle', pydicomTestFile('SC_rgb_rle_2frame.dcm'));
    const compressed = dcmtk('dcmcjpls', native, '+en');
    expect(dumped(compressed, '0002,0010')).toContain('JPEGLSLossy');
    const chunks: Buffer[] = [];
    for await (const chunk of await transcodePart10(readFileSync(compressed), {
      to: explicitVRLittleEndian,
      codecs,
    }))
      chunks.push(chunk);
    const ours = join(workDir, 'ours-near-lossless.dcm');
    writeFileSync(ours, Buffer.concat(chunks));
    expect(pixelData(ours).equals(pixelData(dcmtk('dcmdjpls', compressed)))).toBe(true);
    expect(dumped(ours, '0028,0006')).toContain('US 0');
    expect(dumped(ours, '0028,2110')).toContain('[01]');
  });

  it('an RLE instance to Implicit VR Little Endian: DCMTK reads the same pixels', async () => {
    const ours = await transcode('SC_rgb_rle_2frame.dcm', implicitVRLittleEndian);
    expect(dumped(ours, '0002,0010')).toContain('=LittleEndianImplicit');
    const reference = dcmtk('dcmdrle', pydicomTestFile('SC_rgb_rle_2frame.dcm'));
    expect(pixelData(ours).equals(pixelData(reference))).toBe(true);
  });

  it('refuses 12-bit JPEG, which no decoder here reads, with NOT_ACCEPTABLE', async () => {
    const error = await transcodePart10(readFileSync(pydicomTestFile('JPEG-lossy.dcm')), {
      to: explicitVRLittleEndian,
      codecs,
    }).catch((caught: unknown) => caught);
    expect(isPacsError(error) && error.code).toBe('NOT_ACCEPTABLE');
  });
});

describe('transcodePart10, every compressed pydicom file', () => {
  it('decompresses to a file DCMTK reads, with Rows × Columns × Samples × Frames of Pixel Data, or is refused NOT_ACCEPTABLE', async () => {
    const directory = dirname(pydicomTestFile('MR_small.dcm'));
    const refused: string[] = [];
    let decompressed = 0;
    for (const name of readdirSync(directory).filter((entry) => entry.endsWith('.dcm'))) {
      const bytes = readFileSync(join(directory, name));
      let encapsulated = false;
      try {
        encapsulated = readPart10(new BufferSource(bytes)).encoding.encapsulated;
      } catch {
        continue; // files pydicom ships as broken on purpose
      }
      if (!encapsulated) continue;
      let output: Buffer;
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of await transcodePart10(bytes, { to: explicitVRLittleEndian, codecs }))
          chunks.push(chunk);
        output = Buffer.concat(chunks);
      } catch (error) {
        expect(isPacsError(error) && error.code, name).toBe('NOT_ACCEPTABLE');
        refused.push(name);
        continue;
      }
      const path = join(workDir, `sweep-${name}`);
      writeFileSync(path, output);
      expect(dumped(path, '0002,0010'), name).toContain('=LittleEndianExplicit');
      const parsed = readPart10(new BufferSource(output));
      if (!parsed.pixelData) continue;
      const number = (tag: string) => Number(parsed.dataset[tag]?.Value?.[0] ?? 1);
      const expected =
        number('00280010') *
        number('00280011') *
        number('00280002') *
        (number('00280100') / 8) *
        number('00280008');
      expect(parsed.pixelData.length - expected, name).toBeGreaterThanOrEqual(0);
      expect(parsed.pixelData.length - expected, name).toBeLessThanOrEqual(1);
      decompressed++;
    }
    expect(decompressed).toBeGreaterThanOrEqual(25);
    // 12-bit JPEG (no decoder here), and 250 bytes of JPEG 2000 for a 1024×256 image (a parser test).
    expect(refused.sort()).toEqual([
      'JPEG-lossy.dcm',
      'JPEG2000-embedded-sequence-delimiter.dcm',
      'JPGExtended.dcm',
    ]);
  }, 120_000);
});

describe('transcodePart10, memory', () => {
  it('streams a 100-frame RLE instance (50 MB decoded) holding a few frames, not the decoded whole', async () => {
    const rows = 512;
    const columns = 512;
    const frames = 100;
    const frameLength = rows * columns * 2;
    const pixels = Buffer.alloc(frameLength * frames);
    for (let frame = 0; frame < frames; frame++)
      for (let i = 0; i < rows * columns; i++)
        pixels.writeUInt16LE(
          (((i >> 9) * 3 + (i & 511) + frame * 7) >> 2) & 0xfff,
          (frame * rows * columns + i) * 2,
        );
    const native = join(workDir, 'large-native.dcm');
    writeFileSync(
      native,
      writePart10({
        dataset: {
          '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
          '00080018': { vr: 'UI', Value: ['2.25.1234567'] },
          '00280002': { vr: 'US', Value: [1] },
          '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
          '00280008': { vr: 'IS', Value: [frames] },
          '00280010': { vr: 'US', Value: [rows] },
          '00280011': { vr: 'US', Value: [columns] },
          '00280100': { vr: 'US', Value: [16] },
          '00280101': { vr: 'US', Value: [12] },
          '00280102': { vr: 'US', Value: [11] },
          '00280103': { vr: 'US', Value: [0] },
          '7FE00010': { vr: 'OW', InlineBinary: pixels.toString('base64') },
        },
      }),
    );
    const compressed = readFileSync(dcmtk('dcmcrle', native));
    // Which decoded frames are still reachable, after a collection, while the stream is read: a
    // transcoder that kept frames would keep them alive. (process.memoryUsage() would also count
    // the other test files running on Vitest's worker threads.)
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const frameBuffers: Array<WeakRef<ArrayBufferLike>> = [];
    let mostAlive = 0;
    let offset = 0;
    let equal = true;
    for await (const chunk of await transcodePart10(compressed, { to: explicitVRLittleEndian, codecs })) {
      if (chunk.length !== frameLength) continue;
      equal &&= chunk.equals(pixels.subarray(offset, offset + frameLength));
      offset += frameLength;
      frameBuffers.push(new WeakRef(chunk.buffer));
      if ((offset / frameLength) % 10 === 0) {
        // A WeakRef keeps its target until the current job ends (ECMA-262 ClearKeptObjects).
        await new Promise((resolve) => setImmediate(resolve));
        gc();
        mostAlive = Math.max(mostAlive, frameBuffers.filter((buffer) => buffer.deref() !== undefined).length);
      }
    }
    expect(offset).toBe(pixels.length);
    expect(equal).toBe(true);
    // The frame being read and the next one being decoded.
    expect(mostAlive).toBeLessThanOrEqual(3);
    console.info(
      `transcode memory: compressed ${(compressed.length / 2 ** 20).toFixed(1)} MiB, decoded ${(pixels.length / 2 ** 20).toFixed(1)} MiB, at most ${mostAlive} decoded frames (${((mostAlive * frameLength) / 2 ** 20).toFixed(1)} MiB) alive while streaming`,
    );
  }, 120_000);
});
