import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ThrowawayPostgres, startPostgresOnFreePort } from '../adapters/contract/startPostgres.js';
import { type ThrowawayS3, startS3rver } from '../adapters/contract/startS3rver.js';
import { FsBlobStore } from '../adapters/fs/FsBlobStore.js';
import { PostgresIndex } from '../adapters/postgres/PostgresIndex.js';
import { S3BlobStore } from '../adapters/s3/S3BlobStore.js';
import { SqliteIndex } from '../adapters/sqlite/SqliteIndex.js';
import type { BlobStore } from '../ports/BlobStore.js';
import type { InstanceRecord } from '../ports/Index.js';
import { IngestService } from '../services/IngestService.js';
import { generateInstance, newUid } from '../testing/generateInstance.js';
import { differingFields } from './differingFields.js';
import { type ArchiveStorage, migrateInstances } from './migrateInstances.js';

// The migration through the ports, from a real embedded archive (SQLite + files, filled by the
// ingest service) into a throwaway PostgreSQL 15 cluster and s3rver on 127.0.0.1.
let postgres: ThrowawayPostgres;
let s3: ThrowawayS3;
let targets = 0;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  postgres = await startPostgresOnFreePort();
  s3 = await startS3rver();
}, 60_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await s3?.stop();
  postgres?.stop();
});

/** An embedded archive with 3 studies × 2 series × 2 instances, a 5-frame instance and private tags. */
async function embeddedSource(): Promise<{ index: SqliteIndex; blobs: FsBlobStore; count: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'pacskit-migrate-source-'));
  const index = new SqliteIndex(join(dir, 'index.sqlite'));
  const blobs = new FsBlobStore(join(dir, 'blobs'));
  cleanups.push(async () => {
    await index.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ingest = new IngestService({
    index,
    blobStore: blobs,
    stagingDir: join(dir, 'tmp'),
    duplicatePolicy: 'reject',
  });
  const files: Buffer[] = [];
  for (let study = 0; study < 3; study++) {
    const studyInstanceUID = newUid();
    for (let series = 1; series <= 2; series++) {
      const seriesInstanceUID = newUid();
      for (let instance = 1; instance <= 2; instance++) {
        files.push(
          generateInstance({
            studyInstanceUID,
            seriesInstanceUID,
            sopInstanceUID: newUid(),
            patientID: `MIGRATE-${study}`,
            seriesNumber: series,
            instanceNumber: instance,
            frames: study === 0 && series === 1 && instance === 1 ? 5 : 1,
            extra:
              study === 1
                ? [
                    ['00090010', 'LO', 'PACSKIT TEST'],
                    ['00091001', 'LO', 'private value'],
                  ]
                : [],
          }),
        );
      }
    }
  }
  for (const file of files) {
    const outcome = await ingest.storeInstance({
      stream: Readable.from([file]),
      source: { protocol: 'STOW-RS' },
    });
    expect(outcome.status).toBe('stored');
  }
  return { index, blobs, count: files.length };
}

async function scaleOutTarget(): Promise<ArchiveStorage & { index: PostgresIndex; blobs: S3BlobStore }> {
  const index = await PostgresIndex.open({
    connectionString: postgres.createDatabase(`migrate_${++targets}`),
    maxConnections: 4,
  });
  const blobs = new S3BlobStore({
    bucket: s3.bucket,
    prefix: `target${targets}/`,
    client: { endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials },
  });
  cleanups.push(async () => {
    await index.close();
    blobs.close();
  });
  return { index, blobs };
}

async function sha256(blobs: BlobStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await blobs.read(key)) hash.update(chunk as Uint8Array);
  return hash.digest('hex');
}

async function allRecords(storage: ArchiveStorage): Promise<InstanceRecord[]> {
  const studies = await storage.index.search({ level: 'study', conditions: [] });
  const records: InstanceRecord[] = [];
  for (const { study } of studies)
    records.push(
      ...(await storage.index.listInstances({ studyInstanceUID: study['0020000D']?.Value?.[0] as string })),
    );
  return records;
}

describe('migrateInstances (SQLite + files → PostgreSQL + S3)', () => {
  it('copies every instance with its record and identical bytes; a second run copies nothing', async () => {
    const source = await embeddedSource();
    const target = await scaleOutTarget();

    const first = await migrateInstances({ source, target, batchSize: 5, concurrency: 4 });
    expect(first).toMatchObject({ total: source.count, copied: source.count, skipped: 0, failed: 0 });
    expect(first.interrupted).toBe(false);

    const sourceRecords = await allRecords(source);
    expect(sourceRecords).toHaveLength(source.count);
    expect(await target.index.countInstances()).toBe(source.count);
    for (const record of sourceRecords) {
      const copied = await target.index.findInstance(record.sopInstanceUID);
      expect(copied && differingFields(record, copied)).toEqual([]);
      expect(await sha256(target.blobs, record.blobKey)).toBe(await sha256(source.blobs, record.blobKey));
    }
    expect(first.bytesCopied).toBe(sourceRecords.reduce((sum, record) => sum + record.size, 0));
    // The computed study attributes (QIDO's NumberOfStudyRelatedInstances, ModalitiesInStudy…)
    // agree. Storage order across studies is not kept (a batch locks its studies in UID order).
    const studies = async (storage: ArchiveStorage) =>
      (await storage.index.search({ level: 'study', conditions: [] })).toSorted((a, b) =>
        String(a.study['0020000D']?.Value?.[0]).localeCompare(String(b.study['0020000D']?.Value?.[0])),
      );
    expect(await studies(target)).toEqual(await studies(source));

    const second = await migrateInstances({ source, target });
    expect(second).toMatchObject({
      copied: 0,
      repaired: 0,
      skipped: source.count,
      failed: 0,
      bytesCopied: 0,
    });
    // The source is read only.
    expect(await source.index.countInstances()).toBe(source.count);
  });

  it('detects a corrupted or missing target blob and copies it again', async () => {
    const source = await embeddedSource();
    const target = await scaleOutTarget();
    await migrateInstances({ source, target });
    const [corrupted, missing] = await allRecords(source);
    if (!corrupted || !missing) throw new Error('no records');
    // Same length, one byte flipped: only the SHA-256 can tell.
    const chunks: Buffer[] = [];
    for await (const chunk of await target.blobs.read(corrupted.blobKey)) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    await target.blobs.create(corrupted.blobKey, { stream: Readable.from([bytes]) });
    await target.blobs.remove(missing.blobKey);

    const rerun = await migrateInstances({ source, target });
    expect(rerun).toMatchObject({ copied: 0, repaired: 2, skipped: source.count - 2, failed: 0 });
    expect(rerun.bytesCopied).toBe(corrupted.size + missing.size);
    for (const record of [corrupted, missing])
      expect(await sha256(target.blobs, record.blobKey)).toBe(await sha256(source.blobs, record.blobKey));
  });

  it('reports a source blob that does not match its index entry, and copies the rest', async () => {
    const source = await embeddedSource();
    const target = await scaleOutTarget();
    const [damaged] = await allRecords(source);
    if (!damaged) throw new Error('no records');
    truncateSync(source.blobs.localPath(damaged.blobKey), damaged.size - 10);

    const summary = await migrateInstances({ source, target });
    expect(summary).toMatchObject({ copied: source.count - 1, failed: 1 });
    expect(summary.failures).toEqual([
      { blobKey: damaged.blobKey, reason: 'SOURCE_BLOB_INVALID', detail: expect.any(String) },
    ]);
    expect(await target.index.findInstance(damaged.sopInstanceUID)).toBeUndefined();
  });

  it('leaves a different instance stored in the target under the same SOP Instance UID alone', async () => {
    const source = await embeddedSource();
    const target = await scaleOutTarget();
    const [record] = await allRecords(source);
    if (!record) throw new Error('no records');
    const otherKey = `${record.blobKey.slice(0, 8)}-0000-0000-ffff`;
    await target.blobs.create(otherKey, { stream: Readable.from([Buffer.from('another instance')]) });
    await target.index.putInstance({ ...record, blobKey: otherKey, size: 16 }, { replace: false });

    const summary = await migrateInstances({ source, target });
    expect(summary).toMatchObject({ copied: source.count - 1, failed: 1 });
    expect(summary.failures[0]).toMatchObject({ blobKey: record.blobKey, reason: 'TARGET_CONFLICT' });
    expect((await target.index.findInstance(record.sopInstanceUID))?.blobKey).toBe(otherKey);
  });

  it('stops after the current batch when aborted; the next run continues where it stopped', async () => {
    const source = await embeddedSource();
    const target = await scaleOutTarget();
    const stop = new AbortController();
    const interrupted = await migrateInstances({
      source,
      target,
      batchSize: 4,
      signal: stop.signal,
      onProgress: () => stop.abort(),
    });
    expect(interrupted).toMatchObject({ interrupted: true, copied: 4, failed: 0 });
    expect(await target.index.countInstances()).toBe(4);

    const resumed = await migrateInstances({ source, target, batchSize: 4 });
    expect(resumed).toMatchObject({ interrupted: false, copied: source.count - 4, skipped: 4, failed: 0 });
    expect(await target.index.countInstances()).toBe(source.count);
  });
});
