import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DimseServices, StoredInstanceRef } from '../dimseServices.js';
import { splitPart10 } from '../part10.js';
import { type TestServer, pydicomTestFiles, run, startTestServer, temporaryDirectory } from './harness.js';
import { MemoryDimseServices } from './memoryDimseServices.js';

const pixelBytes = 200 * 1024 * 1024;

/** CT_small with its Pixel Data replaced by 200 MB (written in 1 MB chunks, never held in memory). */
async function writeLargeInstance(path: string): Promise<{ size: number; sopInstanceUID: string }> {
  const original = await readFile(join(pydicomTestFiles, 'CT_small.dcm'));
  const { meta, dataset } = await splitPart10(Readable.from([original]));
  const chunks: Buffer[] = [];
  for await (const chunk of dataset) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const pixelTag = Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57]); // (7FE0,0010) OW
  const at = body.lastIndexOf(pixelTag);
  const header = Buffer.alloc(12);
  pixelTag.copy(header, 0);
  header.writeUInt32LE(pixelBytes, 8);
  const metaBytes = original.subarray(0, original.length - body.length);
  const out = createWriteStream(path);
  async function* content() {
    yield metaBytes;
    yield body.subarray(0, at);
    yield header;
    const block = Buffer.alloc(1024 * 1024, 0x5a);
    for (let written = 0; written < pixelBytes; written += block.length) yield block;
  }
  await pipeline(Readable.from(content()), out);
  return {
    size: metaBytes.length + at + header.length + pixelBytes,
    sopInstanceUID: meta.mediaStorageSOPInstanceUID,
  };
}

async function datasetDigest(path: string): Promise<string> {
  const { dataset } = await splitPart10(createReadStream(path, { highWaterMark: 1024 * 1024 }));
  const hash = createHash('sha256');
  for await (const chunk of dataset) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** dcmdump (values shortened, lengths kept) without file meta and group lengths. */
async function dumpSummary(path: string): Promise<string> {
  const { stdout } = await run('dcmdump', ['-q', path]);
  return (
    stdout
      .split('\n')
      .filter(
        (line) => !/^\s*\(0002,|^\s*\([0-9a-f]{4},0000\)|^\s*\(fffe,|^#/.test(line) && line.trim() !== '',
      )
      // Sequence and item encodings (explicit vs undefined length) are DCMTK's choice when writing.
      .map((line) => (/\(Sequence with/.test(line) ? line.replace(/\(Sequence with.*/, 'SQ') : line))
      .map((line) => (/PixelData/.test(line) ? line : line.replace(/#.*/, '').trimEnd()))
      .join('\n')
  );
}

/** Samples this process's RSS while `work` runs; returns the peak above the level before it. */
async function peakRssAbove<T>(work: () => Promise<T>): Promise<{ result: T; peakMB: number }> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const result = await work();
    return { result, peakMB: (peak - baseline) / (1024 * 1024) };
  } finally {
    clearInterval(timer);
  }
}

describe('a 200 MB instance streams through with flat memory (backpressure both ways)', {
  timeout: 60_000,
}, () => {
  let server: TestServer;
  let files: Awaited<ReturnType<typeof temporaryDirectory>>;
  let large: { size: number; sopInstanceUID: string };
  const blobPath = () => join(files.path, 'stored.dcm');
  let storedRef: StoredInstanceRef | undefined;

  beforeAll(async () => {
    files = await temporaryDirectory();
    large = await writeLargeInstance(join(files.path, 'large.dcm'));
    // A disk-backed archive double: the Part 10 stream goes straight to a file, read back for C-GET.
    const memory = new MemoryDimseServices();
    const services: DimseServices = Object.assign(Object.create(memory) as MemoryDimseServices, {
      storeInstance: async ({ stream }: { stream: Readable }) => {
        await pipeline(stream, createWriteStream(blobPath()));
        storedRef = {
          studyInstanceUID: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
          seriesInstanceUID: '1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322',
          sopInstanceUID: large.sopInstanceUID,
          sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
          transferSyntaxUID: '1.2.840.10008.1.2.1',
        };
        return { status: 'stored' as const };
      },
      listInstances: async () => (storedRef ? [storedRef] : []),
      openInstance: async () => createReadStream(blobPath(), { highWaterMark: 256 * 1024 }),
    });
    server = await startTestServer({ services });
  }, 120_000);

  afterAll(async () => {
    await server.close();
    await files.remove();
  });

  test('C-STORE: stored byte for byte, peak memory a few tens of MB above idle', async () => {
    const { result, peakMB } = await peakRssAbove(() =>
      run('storescu', [
        '-xe',
        '-aec',
        server.aeTitle,
        '127.0.0.1',
        String(server.port),
        join(files.path, 'large.dcm'),
      ]),
    );
    expect(result.code, result.stderr).toBe(0);
    // The data set bytes stored are the ones sent (the file meta is ours, PS3.10 7.1).
    expect(await datasetDigest(blobPath())).toBe(await datasetDigest(join(files.path, 'large.dcm')));
    expect((await stat(blobPath())).size).toBeGreaterThan(pixelBytes);
    console.log(`C-STORE of ${(large.size / 2 ** 20).toFixed(0)} MB: peak RSS +${peakMB.toFixed(1)} MB`);
    expect(peakMB).toBeLessThan(80);
  }, 120_000);

  test('C-GET: the 200 MB instance is sent streamed, memory stays flat', async () => {
    const out = await temporaryDirectory();
    try {
      const { result, peakMB } = await peakRssAbove(() =>
        run('getscu', [
          '-S',
          '-aec',
          server.aeTitle,
          '-od',
          out.path,
          '-k',
          'QueryRetrieveLevel=IMAGE',
          '-k',
          `SOPInstanceUID=${large.sopInstanceUID}`,
          '127.0.0.1',
          String(server.port),
        ]),
      );
      const [name] = await readdir(out.path);
      expect(name, result.stderr).toBeDefined();
      // getscu re-encodes what it writes (group lengths), so compare dumps: values and lengths.
      expect(await dumpSummary(join(out.path, name!))).toEqual(
        await dumpSummary(join(files.path, 'large.dcm')),
      );
      expect(await dumpSummary(join(out.path, name!))).toContain(`# ${pixelBytes}, 1 PixelData`);
      console.log(`C-GET of ${(large.size / 2 ** 20).toFixed(0)} MB: peak RSS +${peakMB.toFixed(1)} MB`);
      expect(peakMB).toBeLessThan(80);
    } finally {
      await out.remove();
    }
  }, 120_000);
});
