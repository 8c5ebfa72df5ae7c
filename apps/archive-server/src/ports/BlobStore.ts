import type { Readable } from 'node:stream';

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
