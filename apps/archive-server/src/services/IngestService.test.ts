import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../adapters/fs/FsBlobStore.js';
import { SqliteIndex } from '../adapters/sqlite/SqliteIndex.js';
import type { Index, InstanceRecord } from '../ports/Index.js';
import { generateInstance, newUid } from '../testing/generateInstance.js';
import { IndexCommitQueue } from './IndexCommitQueue.js';
import { IngestService } from './IngestService.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function openArchive() {
  const dir = mkdtempSync(join(tmpdir(), 'pacskit-ingest-'));
  const index = new SqliteIndex(join(dir, 'index.sqlite'));
  const blobStore = new FsBlobStore(join(dir, 'blobs'));
  const stagingDir = join(dir, 'tmp');
  const ingest = new IngestService({ index, blobStore, stagingDir, duplicatePolicy: 'reject' });
  cleanups.push(async () => {
    await index.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // As at start-up: creates the staging directory.
  await ingest.cleanOrphans();
  return { index, blobStore, stagingDir, ingest };
}

/** Streams `bytes` in pieces of `size`, as a multipart part or a DIMSE P-DATA stream arrives. */
function chunked(bytes: Buffer, size: number): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return Readable.from(pieces);
}

describe('IngestService', () => {
  it('stores a small instance (received in memory) and a 3 MB one (staged) byte for byte, leaving no staging file', async () => {
    const { ingest, index, blobStore, stagingDir } = await openArchive();
    const studyInstanceUID = newUid();
    const seriesInstanceUID = newUid();
    const small = generateInstance({ studyInstanceUID, seriesInstanceUID, sopInstanceUID: newUid() });
    const large = generateInstance({
      studyInstanceUID,
      seriesInstanceUID,
      sopInstanceUID: newUid(),
      rows: 1024,
      columns: 1536,
    });
    expect(large.length).toBeGreaterThan(3_000_000);
    const batch = ingest.createBatch();
    await batch.add({ stream: chunked(small, 1000), source: { protocol: 'STOW-RS' } });
    await batch.add({ stream: chunked(large, 65_536), source: { protocol: 'STOW-RS' } });
    const outcomes = await batch.commit();
    expect(outcomes.map((o) => o.status)).toEqual(['stored', 'stored']);
    const records = await index.listInstances({ studyInstanceUID });
    expect(records).toHaveLength(2);
    for (const original of [small, large]) {
      const record = records.find((r) => r.size === original.length) as InstanceRecord;
      expect((await readAll(await blobStore.read(record.blobKey))).equals(original)).toBe(true);
    }
    expect(readdirSync(stagingDir)).toEqual([]);
  });

  it('fails a truncated part alone, storing nothing of it', async () => {
    const { ingest, index, blobStore } = await openArchive();
    const studyInstanceUID = newUid();
    const good = generateInstance({
      studyInstanceUID,
      seriesInstanceUID: newUid(),
      sopInstanceUID: newUid(),
    });
    const batch = ingest.createBatch();
    await batch.add({
      stream: chunked(good.subarray(0, good.length - 100), 4096),
      source: { protocol: 'STOW-RS' },
    });
    await batch.add({ stream: chunked(good, 4096), source: { protocol: 'STOW-RS' } });
    const outcomes = await batch.commit();
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'stored']);
    expect(outcomes[0]?.failure?.code).toBe('DICOM_PARSE_ERROR');
    expect(await index.countInstances()).toBe(1);
    const keys: string[] = [];
    for await (const key of blobStore.keys()) keys.push(key);
    expect(keys).toHaveLength(1);
  });
});

describe('IndexCommitQueue', () => {
  function countingIndex(): { index: Index; transactions: InstanceRecord[][] } {
    const transactions: InstanceRecord[][] = [];
    const index = {
      putInstances: async (records: InstanceRecord[]) => {
        transactions.push(records);
        return records.map(() => ({ replaced: undefined }));
      },
    } as unknown as Index;
    return { index, transactions };
  }
  const record = (sopInstanceUID: string) => ({ sopInstanceUID }) as InstanceRecord;

  it('commits records ready now with those reserved a moment later, in one transaction', async () => {
    const { index, transactions } = countingIndex();
    const queue = new IndexCommitQueue(index, false);
    const first = queue.reserve();
    const second = queue.reserve();
    const firstDone = first.put([record('1')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(transactions).toHaveLength(0);
    const secondDone = second.put([record('2'), record('3')]);
    expect((await firstDone).length).toBe(1);
    expect((await secondDone).length).toBe(2);
    expect(transactions.map((t) => t.map((r) => r.sopInstanceUID))).toEqual([['1', '2', '3']]);
  });

  it('does not wait for long for a reservation that never comes', async () => {
    const { index, transactions } = countingIndex();
    const queue = new IndexCommitQueue(index, false);
    queue.reserve(); // never put nor cancelled
    await queue.reserve().put([record('1')]);
    expect(transactions).toHaveLength(1);
  });

  it('commits at once when the other reservation is cancelled', async () => {
    const { index, transactions } = countingIndex();
    const queue = new IndexCommitQueue(index, false);
    const cancelled = queue.reserve();
    const done = queue.reserve().put([record('1')]);
    cancelled.cancel();
    await done;
    expect(transactions).toHaveLength(1);
  });
});
