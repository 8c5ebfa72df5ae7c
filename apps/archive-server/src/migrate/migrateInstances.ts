import { createHash } from 'node:crypto';
import { isPacsError } from '@pacskit/dicom';
import type { BlobStore } from '../ports/BlobStore.js';
import type { Index, InstanceRecord } from '../ports/Index.js';
import { differingFields } from './differingFields.js';

/** One side of a migration: an index and the blob store its records point into. */
export interface ArchiveStorage {
  index: Index;
  blobs: BlobStore;
}

/**
 * What happened to one instance: `copied` (new in the target), `repaired` (the target had it, but
 * its blob or record differed from the source and was rewritten), `skipped` (already in the
 * target and verified equal), `failed`.
 */
export type InstanceOutcome = 'copied' | 'repaired' | 'skipped' | 'failed';

export interface MigrationProgress {
  /** Instances in the source when the migration started. */
  total: number;
  copied: number;
  repaired: number;
  skipped: number;
  failed: number;
  /** Blob bytes written to the target. */
  bytesCopied: number;
}

/** Why an instance failed. */
export type MigrationFailureReason =
  /** The source blob is missing, unreadable, or not the size its index entry records. */
  | 'SOURCE_BLOB_INVALID'
  /** The target already holds a different instance under this SOP Instance UID; left untouched. */
  | 'TARGET_CONFLICT'
  /** The target blob read back is not byte-identical (size + SHA-256) to the source blob. */
  | 'BLOB_MISMATCH'
  /** The target index record read back differs from the source on a served field. */
  | 'RECORD_MISMATCH'
  /** The target index or blob store refused or failed the write. */
  | 'TARGET_ERROR';

/**
 * A failed instance, named by its blob key (an opaque storage key, not patient data) so an operator
 * can look it up in the source index; `detail` names error codes and fields, never values.
 */
export interface MigrationFailure {
  blobKey: string;
  reason: MigrationFailureReason;
  detail: string;
}

export interface MigrationSummary extends MigrationProgress {
  failures: MigrationFailure[];
  /** True when `signal` stopped the run before every instance was visited: run it again to finish. */
  interrupted: boolean;
}

export interface MigrateInstancesOptions {
  source: ArchiveStorage;
  target: ArchiveStorage;
  /** Instances copied and verified at once (default 8): hides the object store's round trips. */
  concurrency?: number;
  /** Instances per index transaction (default 64): one `putInstances` commit per batch. */
  batchSize?: number;
  /** Called after every batch. */
  onProgress?: (progress: Readonly<MigrationProgress>) => void;
  /** Stops after the current batch; what was written is verified and counted. */
  signal?: AbortSignal;
}

interface Digest {
  size: number;
  sha256: string;
}

/** What the blob phase decided for one instance, before the batch's index write. */
type Plan =
  | { kind: 'done'; outcome: 'skipped' }
  | { kind: 'failed'; failure: MigrationFailure }
  | {
      kind: 'written';
      outcome: 'copied' | 'repaired';
      /** How the index record gets written: new, over a differing one, or already equal. */
      index: 'insert' | 'replace' | 'unchanged';
      bytes: number;
    };

/** Studies read from the source index per page. */
const studyPageSize = 100;

/**
 * Copies every instance of the source archive (blob, then index record) into the target through
 * the Index and BlobStore ports, and verifies each copy: the target blob read back has the source
 * blob's byte count and SHA-256, and the target index record read back equals the source record on
 * every served field. The blob is written before the record, so an interrupted run leaves at worst
 * an unreferenced blob, which the next run overwrites. Idempotent: an instance already in the
 * target and verified equal is skipped; one whose blob or record differs is rewritten. Never writes
 * to the source.
 */
export async function migrateInstances(options: MigrateInstancesOptions): Promise<MigrationSummary> {
  const { source, target } = options;
  const concurrency = options.concurrency ?? 8;
  const batchSize = options.batchSize ?? 64;
  const progress: MigrationProgress = {
    total: await source.index.countInstances(),
    copied: 0,
    repaired: 0,
    skipped: 0,
    failed: 0,
    bytesCopied: 0,
  };
  const failures: MigrationFailure[] = [];
  const fail = (failure: MigrationFailure): void => {
    progress.failed++;
    failures.push(failure);
  };
  let interrupted = false;

  for await (const batch of batches(sourceRecords(source.index), batchSize)) {
    const plans = await mapConcurrently(batch, concurrency, (record) => copyBlob(source, target, record));
    const written = new Map<InstanceRecord, Extract<Plan, { kind: 'written' }>>();
    const toInsert: InstanceRecord[] = [];
    const toReplace: InstanceRecord[] = [];
    plans.forEach((plan, i) => {
      const record = batch[i] as InstanceRecord;
      if (plan.kind === 'done') progress.skipped++;
      else if (plan.kind === 'failed') fail(plan.failure);
      else {
        written.set(record, plan);
        if (plan.index === 'insert') toInsert.push(record);
        if (plan.index === 'replace') toReplace.push(record);
      }
    });
    for (const [records, replace] of [
      [toInsert, false],
      [toReplace, true],
    ] as const) {
      if (records.length === 0) continue;
      const results = await target.index
        .putInstances(records, { replace })
        .catch((error: unknown) => records.map(() => ({ error })));
      results.forEach((result, i) => {
        const record = records[i] as InstanceRecord;
        // DUPLICATE_INSTANCE: a concurrent writer stored the same SOP instance first; the
        // read-back below decides whether it is this record.
        if ('error' in result && !(isPacsError(result.error) && result.error.code === 'DUPLICATE_INSTANCE')) {
          written.delete(record);
          fail({ blobKey: record.blobKey, reason: 'TARGET_ERROR', detail: errorCode(result.error) });
        }
      });
    }
    const verified = await mapConcurrently([...written], concurrency, async ([record, plan]) => {
      const stored = await target.index.findInstance(record.sopInstanceUID).catch(() => undefined);
      return { record, plan, fields: stored && differingFields(record, stored) };
    });
    for (const { record, plan, fields } of verified) {
      if (fields?.length === 0) {
        progress[plan.outcome]++;
        progress.bytesCopied += plan.bytes;
      } else
        fail({
          blobKey: record.blobKey,
          reason: 'RECORD_MISMATCH',
          detail: fields
            ? `the target record differs in ${fields.join(', ')}`
            : 'the target record cannot be read back',
        });
    }
    options.onProgress?.(progress);
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
  }
  return { ...progress, failures, interrupted };
}

/**
 * The blob phase for one instance: decides from the target's record and blob whether the instance
 * is already there, copies (or re-copies) the blob when it is not, and verifies the copy.
 */
async function copyBlob(
  source: ArchiveStorage,
  target: ArchiveStorage,
  record: InstanceRecord,
): Promise<Plan> {
  const { blobKey } = record;
  const failed = (reason: MigrationFailureReason, detail: string): Plan => ({
    kind: 'failed',
    failure: { blobKey, reason, detail },
  });
  let existing: InstanceRecord | undefined;
  try {
    existing = await target.index.findInstance(record.sopInstanceUID);
  } catch (error) {
    return failed('TARGET_ERROR', errorCode(error));
  }
  if (existing) {
    const [sourceDigest, targetDigest] = await Promise.all([
      digestOf(source.blobs, blobKey),
      digestOf(target.blobs, existing.blobKey),
    ]);
    if (sourceDigest instanceof Error || sourceDigest.size !== record.size)
      return sourceInvalid(blobKey, sourceDigest);
    const recordEqual = differingFields(record, existing, { ignoreBlobKey: true }).length === 0;
    const blobEqual = sameDigest(sourceDigest, targetDigest);
    if (recordEqual && blobEqual) return { kind: 'done', outcome: 'skipped' };
    // Another blob key means the target stored this SOP instance on its own (not through us); its
    // bytes or record differ, so it is a different instance under the same UID: never overwritten.
    if (existing.blobKey !== blobKey) {
      return failed('TARGET_CONFLICT', 'the target holds a different instance with this SOP Instance UID');
    }
    if (!blobEqual) {
      const copy = await copyAndVerify(source, target, record);
      if (copy.kind === 'failed') return copy;
    }
    return {
      kind: 'written',
      outcome: 'repaired',
      index: recordEqual ? 'unchanged' : 'replace',
      bytes: blobEqual ? 0 : record.size,
    };
  }
  const copy = await copyAndVerify(source, target, record);
  if (copy.kind === 'failed') return copy;
  return { kind: 'written', outcome: 'copied', index: 'insert', bytes: record.size };
}

/** Streams the source blob into the target (hashing it on the way), then reads the target back. */
async function copyAndVerify(
  source: ArchiveStorage,
  target: ArchiveStorage,
  record: InstanceRecord,
): Promise<{ kind: 'ok' } | Extract<Plan, { kind: 'failed' }>> {
  const { blobKey } = record;
  const hash = createHash('sha256');
  let size = 0;
  let sourceError: unknown;
  async function* hashed(): AsyncIterable<Uint8Array> {
    try {
      for await (const chunk of await source.blobs.read(blobKey)) {
        hash.update(chunk);
        size += chunk.byteLength;
        yield chunk;
      }
    } catch (error) {
      sourceError = error;
      throw error;
    }
  }
  try {
    await target.blobs.create(blobKey, { stream: hashed() });
  } catch (error) {
    const failure =
      sourceError === undefined
        ? { blobKey, reason: 'TARGET_ERROR' as const, detail: errorCode(error) }
        : { blobKey, reason: 'SOURCE_BLOB_INVALID' as const, detail: errorCode(sourceError) };
    return { kind: 'failed', failure };
  }
  const sourceDigest: Digest = { size, sha256: hash.digest('hex') };
  if (sourceDigest.size !== record.size) {
    return sourceInvalid(blobKey, sourceDigest);
  }
  const targetDigest = await digestOf(target.blobs, blobKey);
  if (!sameDigest(sourceDigest, targetDigest)) {
    return {
      kind: 'failed',
      failure: {
        blobKey,
        reason: 'BLOB_MISMATCH',
        detail:
          targetDigest instanceof Error
            ? `the target blob cannot be read back (${errorCode(targetDigest)})`
            : 'the target blob read back differs from the source (size or SHA-256)',
      },
    };
  }
  return { kind: 'ok' };
}

function sourceInvalid(blobKey: string, digest: Digest | Error): Extract<Plan, { kind: 'failed' }> {
  return {
    kind: 'failed',
    failure: {
      blobKey,
      reason: 'SOURCE_BLOB_INVALID',
      detail:
        digest instanceof Error
          ? `the source blob cannot be read (${errorCode(digest)})`
          : 'the source blob is not the size its index entry records',
    },
  };
}

/** `actual` was read and has the source blob's size and SHA-256. */
function sameDigest(sourceDigest: Digest, actual: Digest | Error): boolean {
  return (
    !(actual instanceof Error) && actual.size === sourceDigest.size && actual.sha256 === sourceDigest.sha256
  );
}

/** Size and SHA-256 of a stored blob, or the error reading it (a missing blob is a finding). */
async function digestOf(blobs: BlobStore, key: string): Promise<Digest | Error> {
  try {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of await blobs.read(key)) {
      hash.update(chunk as Uint8Array);
      size += (chunk as Uint8Array).byteLength;
    }
    return { size, sha256: hash.digest('hex') };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Every study of an index, in index order (pages of study searches). */
export async function* studyInstanceUIDs(index: Index): AsyncIterable<string> {
  for (let offset = 0; ; offset += studyPageSize) {
    const studies = await index.search({ level: 'study', conditions: [], limit: studyPageSize, offset });
    for (const { study } of studies) {
      const studyInstanceUID = study['0020000D']?.Value?.[0];
      if (typeof studyInstanceUID === 'string') yield studyInstanceUID;
    }
    if (studies.length < studyPageSize) return;
  }
}

/** Every source record, study by study. */
async function* sourceRecords(index: Index): AsyncIterable<InstanceRecord> {
  for await (const studyInstanceUID of studyInstanceUIDs(index))
    yield* await index.listInstances({ studyInstanceUID });
}

async function* batches<T>(items: AsyncIterable<T>, size: number): AsyncIterable<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** `items.map(work)` with at most `limit` calls in flight, results in input order. */
async function mapConcurrently<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** An error's code for reports: PacsError codes, or the error's class name; never its message. */
function errorCode(error: unknown): string {
  if (isPacsError(error)) return error.code;
  return error instanceof Error ? error.name : 'unknown error';
}
