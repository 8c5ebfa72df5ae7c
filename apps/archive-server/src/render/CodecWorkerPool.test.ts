import { readFileSync } from 'node:fs';
import { isPacsError, parsePart10, splitEncapsulatedPixelData } from '@pacskit/dicom';
import { afterAll, describe, expect, it } from 'vitest';
import { pydicomTestFile } from '../testing/testFiles.js';
import { CodecWorkerPool } from './CodecWorkerPool.js';

function firstFragment(name: string): Buffer {
  const { dataset } = parsePart10(readFileSync(pydicomTestFile(name)));
  const itemStream = Buffer.from(dataset['7FE00010']?.InlineBinary as string, 'base64');
  return Buffer.from(splitEncapsulatedPixelData(itemStream).fragments[0] as Uint8Array);
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  if (!isPacsError(error)) throw new Error('expected a PacsError');
  return { code: error.code, message: error.message };
}

const pool = new CodecWorkerPool(2);
afterAll(() => pool.close());

describe('CodecWorkerPool', () => {
  it('decodes JPEG-LS and JPEG 2000 on worker threads, with the frame info', async () => {
    const [jpegLs, jpeg2000] = await Promise.all([
      pool.decode('charls', firstFragment('MR_small_jpeg_ls_lossless.dcm'), 2),
      pool.decode('openjpeg', firstFragment('MR_small_jp2klossless.dcm'), 2),
    ]);
    expect(jpegLs.info).toMatchObject({ width: 64, height: 64, componentCount: 1 });
    expect(jpegLs.bytes.length).toBe(64 * 64 * 2);
    // Both are lossless encodings of the same MR_small pixels.
    expect(jpegLs.bytes.equals(jpeg2000.bytes)).toBe(true);
  });

  it('answers CANNOT_RENDER for garbage, and the pool keeps decoding afterwards', async () => {
    const garbage = Buffer.from('not a code stream at all, just text');
    for (const codec of ['charls', 'openjpeg', 'openjph', 'jpeg-lossless'] as const) {
      expect((await failure(pool.decode(codec, garbage, 2))).code).toBe('CANNOT_RENDER');
    }
    const after = await pool.decode('charls', firstFragment('MR_small_jpeg_ls_lossless.dcm'), 2);
    expect(after.bytes.length).toBe(64 * 64 * 2);
  });

  it('gives up on a decode that outlives the timeout, terminating its worker', async () => {
    // A worker cannot even start within 0 ms, so the timer always wins.
    const impatient = new CodecWorkerPool(1, 0);
    try {
      const error = await failure(impatient.decode('openjpeg', firstFragment('JPEG2000.dcm'), 2));
      expect(error).toEqual({ code: 'CANNOT_RENDER', message: 'decoding the frame took too long' });
    } finally {
      await impatient.close();
    }
  });

  it('fails pending decodes when closed', async () => {
    const closing = new CodecWorkerPool(1);
    const pending = failure(closing.decode('openjpeg', firstFragment('JPEG2000.dcm'), 2));
    await closing.close();
    expect((await pending).code).toBe('UNAVAILABLE');
  });
});
