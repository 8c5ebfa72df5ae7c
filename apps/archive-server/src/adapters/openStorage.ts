import { join } from 'node:path';
import { PacsError } from '@pacskit/dicom';
import type { BlobStore } from '../ports/BlobStore.js';
import type { Index } from '../ports/Index.js';
import { FsBlobStore } from './fs/FsBlobStore.js';
import { PostgresIndex } from './postgres/PostgresIndex.js';
import { parseS3Url } from './s3/parseS3Url.js';
import { SqliteIndex } from './sqlite/SqliteIndex.js';

export interface OpenStorageOptions {
  /** `postgres://…` for the scale-out index; undefined for SQLite in `dataDir`. */
  database?: string;
  /**
   * `s3://bucket[/prefix]?endpoint=…&region=…&forcePathStyle=true` for object storage; undefined for
   * files in `dataDir`. Credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID…).
   */
  blobStore?: string;
  dataDir: string;
}

export interface OpenedStorage {
  index: Index;
  blobs: BlobStore;
  close(): Promise<void>;
}

/** Builds the index and blob store the archive runs on: embedded (SQLite + files) or scale-out. */
export async function openStorage(options: OpenStorageOptions): Promise<OpenedStorage> {
  if (options.database && !/^postgres(ql)?:\/\//.test(options.database)) {
    throw new PacsError('INVALID_ARGUMENT', 'database must be a postgres:// URL');
  }
  let blobs: BlobStore;
  let closeBlobs = (): void => undefined;
  if (options.blobStore) {
    const s3Options = parseS3Url(options.blobStore);
    // Loaded only in scale-out mode: the AWS SDK is large, and the embedded mode never needs it.
    const { S3BlobStore } = await import('./s3/S3BlobStore.js');
    const store = new S3BlobStore(s3Options);
    blobs = store;
    closeBlobs = () => store.close();
  } else {
    blobs = new FsBlobStore(join(options.dataDir, 'blobs'));
  }
  let index: Index;
  if (options.database) {
    index = await PostgresIndex.open({ connectionString: options.database }).catch((error: unknown) => {
      closeBlobs();
      throw error;
    });
  } else {
    index = new SqliteIndex(join(options.dataDir, 'index.sqlite'));
  }
  return {
    index,
    blobs,
    async close() {
      await index.close();
      closeBlobs();
    },
  };
}
