import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPacsError } from '@pacskit/dicom';
import { afterAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../ports/BlobStore.js';

/** Opens the blob store under test (fresh or shared; keys are unique per test). */
export type OpenBlobStore = () => Promise<BlobStore>;

let counter = 0;
function newKey(): string {
  counter++;
  return `0000beef-${Date.now().toString(16)}-${counter.toString(16).padStart(4, '0')}${randomBytes(4).toString('hex')}`;
}

async function* chunked(bytes: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The BlobStore port's contract: bytes come back exactly as stored, whole or by range. */
export function blobStoreContract(name: string, open: OpenBlobStore): void {
  describe(`BlobStore contract: ${name}`, () => {
    const staging = mkdtempSync(join(tmpdir(), 'pacskit-staging-'));
    afterAll(() => rmSync(staging, { recursive: true, force: true }));

    it('stores a stream and reads it back byte for byte, whole and by range', async () => {
      const blobs = await open();
      const key = newKey();
      const bytes = randomBytes(300_001);
      await blobs.create(key, { stream: chunked(bytes, 65_536) });
      expect((await readAll(await blobs.read(key))).equals(bytes)).toBe(true);
      expect((await blobs.readRange(key, 12_345, 1000)).equals(bytes.subarray(12_345, 13_345))).toBe(true);
      expect((await blobs.readRange(key, 300_000, 1)).equals(bytes.subarray(300_000))).toBe(true);
    });

    it('stores a blob larger than one upload part (multipart) exactly', async () => {
      const blobs = await open();
      const key = newKey();
      const bytes = randomBytes(9 * 1024 * 1024 + 17);
      await blobs.create(key, { stream: chunked(bytes, 1 << 20) });
      expect((await readAll(await blobs.read(key))).equals(bytes)).toBe(true);
      const start = 8 * 1024 * 1024 - 5;
      expect((await blobs.readRange(key, start, 10)).equals(bytes.subarray(start, start + 10))).toBe(true);
    });

    it('stores bytes held in memory, many at once, each exactly', async () => {
      const blobs = await open();
      const stored = Array.from({ length: 24 }, (_, i) => ({
        key: newKey(),
        bytes: randomBytes(1000 + i * 997),
      }));
      await Promise.all(stored.map(({ key, bytes }) => blobs.create(key, { bytes })));
      for (const { key, bytes } of stored) {
        expect((await readAll(await blobs.read(key))).equals(bytes)).toBe(true);
      }
    });

    it('stores a staged file', async () => {
      const blobs = await open();
      const key = newKey();
      const bytes = randomBytes(4096);
      const path = join(staging, key);
      writeFileSync(path, bytes);
      await blobs.create(key, { path });
      expect((await readAll(await blobs.read(key))).equals(bytes)).toBe(true);
    });

    it('stores bytes, a staged file and a stream under prepared keys; unused ones are not listed', async () => {
      const blobs = await open();
      // Several rounds: the file store's first keys are plain ones, later ones have a file already.
      const stored: Array<{ key: string; bytes: Buffer }> = [];
      for (let round = 0; round < 20; round++) {
        const inMemory = { key: blobs.preparedKey(), bytes: randomBytes(500 + round) };
        await blobs.create(inMemory.key, { bytes: inMemory.bytes });
        const staged = { key: blobs.preparedKey(), bytes: randomBytes(700 + round) };
        const path = join(staging, `prepared-${staged.key}`);
        writeFileSync(path, staged.bytes);
        await blobs.create(staged.key, { path });
        const streamed = { key: blobs.preparedKey(), bytes: randomBytes(900 + round) };
        await blobs.create(streamed.key, { stream: chunked(streamed.bytes, 256) });
        stored.push(inMemory, staged, streamed);
      }
      const unused = blobs.preparedKey();
      await blobs.remove(unused);
      for (const { key, bytes } of stored) {
        expect((await readAll(await blobs.read(key))).equals(bytes)).toBe(true);
      }
      // Only this test takes prepared keys (the others' keys start with 0000beef): within their
      // time buckets exactly the created blobs are listed, no file prepared ahead and left empty.
      const buckets = new Set([...stored.map(({ key }) => key), unused].map((key) => key.slice(0, 8)));
      const listed: string[] = [];
      for await (const key of blobs.keys()) if (buckets.has(key.slice(0, 8))) listed.push(key);
      expect(listed.sort()).toEqual(stored.map(({ key }) => key).sort());
    });

    it('lists keys, removes, and reports a missing blob as NOT_FOUND', async () => {
      const blobs = await open();
      const key = newKey();
      await blobs.create(key, { stream: chunked(Buffer.from('hello'), 2) });
      const listed = new Set<string>();
      for await (const k of blobs.keys()) listed.add(k);
      expect(listed.has(key)).toBe(true);
      await blobs.remove(key);
      await blobs.remove(key);
      const after = new Set<string>();
      for await (const k of blobs.keys()) after.add(k);
      expect(after.has(key)).toBe(false);
      const error = await blobs.read(key).then(
        (stream) => readAll(stream as AsyncIterable<Buffer>),
        (e: unknown) => e,
      );
      expect(isPacsError(error) && error.code).toBe('NOT_FOUND');
    });
  });
}
