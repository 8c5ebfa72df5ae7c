import { join } from 'node:path';
import { PacsError } from '@pacskit/dicom';
import type { BlobStore } from '../ports/BlobStore.js';
import type { Index } from '../ports/Index.js';
import { FsBlobStore } from './fs/FsBlobStore.js';
import { PostgresIndex } from './postgres/PostgresIndex.js';
import { S3BlobStore } from './s3/S3BlobStore.js';
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
  const blobs = options.blobStore
    ? new S3BlobStore(parseS3Url(options.blobStore))
    : new FsBlobStore(join(options.dataDir, 'blobs'));
  let index: Index;
  if (options.database) {
    if (!/^postgres(ql)?:\/\//.test(options.database)) {
      throw new PacsError('INVALID_ARGUMENT', 'database must be a postgres:// URL');
    }
    index = await PostgresIndex.open({ connectionString: options.database });
  } else {
    index = new SqliteIndex(join(options.dataDir, 'index.sqlite'));
  }
  return {
    index,
    blobs,
    async close() {
      await index.close();
      if (blobs instanceof S3BlobStore) blobs.close();
    },
  };
}

/** `s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&forcePathStyle=true`. */
export function parseS3Url(url: string): ConstructorParameters<typeof S3BlobStore>[0] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new PacsError('INVALID_ARGUMENT', 'blob store must be an s3:// URL', { cause });
  }
  if (parsed.protocol !== 's3:' || parsed.hostname === '') {
    throw new PacsError('INVALID_ARGUMENT', 'blob store must be an s3://bucket URL');
  }
  const path = decodeURIComponent(parsed.pathname.replace(/^\/+/, ''));
  const prefix = path === '' ? '' : path.endsWith('/') ? path : `${path}/`;
  const endpoint = parsed.searchParams.get('endpoint') ?? undefined;
  return {
    bucket: parsed.hostname,
    prefix,
    client: {
      region: parsed.searchParams.get('region') ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(endpoint ? { endpoint } : {}),
      forcePathStyle: parsed.searchParams.get('forcePathStyle') === 'true',
    },
  };
}
