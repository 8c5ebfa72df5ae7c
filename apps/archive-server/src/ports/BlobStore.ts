import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * Blob keys start with a 10-minute time bucket (8 hex digits), so the instances received together
 * land in one directory of the file blob store and share its fsync.
 */
export function newBlobKey(): string {
  const bucket = Math.floor(Date.now() / 600_000)
    .toString(16)
    .padStart(8, '0');
  return `${bucket}-${randomUUID()}`;
}

/**
 * Input of `BlobStore.create`: a local file we may move (staging), a byte stream, or bytes already
 * in memory (a small instance received whole: no staging file, no extra copy through a stream).
 */
export type BlobInput = { path: string } | { stream: AsyncIterable<Uint8Array> } | { bytes: Uint8Array };

/**
 * Where instance bytes live, exactly as received. Like Orthanc's IStorageArea: create, read,
 * readRange, remove — streaming, so a 200 MB instance never sits in memory.
 */
export interface BlobStore {
  /**
   * A key (`newBlobKey`'s format) for a blob whose acknowledgement waits for its `create` alone
   * (one C-STORE). The file store hands out keys whose empty files it created and made durable
   * ahead, so that `create` skips the file creation and the directory fsync. A key taken and never
   * created must be `remove`d (else its empty file waits for the startup orphan cleanup).
   */
  preparedKey(): string;
  /** Stores the blob durably (fsynced) under `key`; resolves only once it would survive a crash. */
  create(key: string, input: BlobInput): Promise<void>;
  read(key: string): Promise<Readable>;
  /** Bytes [start, start + length). */
  readRange(key: string, start: number, length: number): Promise<Buffer>;
  remove(key: string): Promise<void>;
  /** Every stored key (startup orphan cleanup). */
  keys(): AsyncIterable<string>;
  /** A local path for the blob when the store is file-based (faster header parses), else undefined. */
  localPath(key: string): string | undefined;
}
