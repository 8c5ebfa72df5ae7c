import { join } from 'node:path';
import { PacsError } from '@pacskit/dicom';
import Database from 'better-sqlite3';
import type { AccessStore } from '../access/AccessStore.js';
import { loadJwtSecret } from '../access/loadJwtSecret.js';
import { PostgresAccessStore } from '../access/postgres/PostgresAccessStore.js';
import { SqliteAccessStore } from '../access/sqlite/SqliteAccessStore.js';
import type { AuditStore } from '../audit/AuditStore.js';
import { PostgresAuditStore } from '../audit/postgres/PostgresAuditStore.js';
import { SqliteAuditStore } from '../audit/sqlite/SqliteAuditStore.js';
import type { RemoteApplicationEntity } from '../dimse/aeTable.js';
import type { ManagedAeTable } from '../dimse/dimseAdminRoutes.js';
import { PostgresAeTable } from '../dimse/postgres/PostgresAeTable.js';
import { SqliteAeTable } from '../dimse/sqlite/SqliteAeTable.js';
import type { BlobStore } from '../ports/BlobStore.js';
import type { Index } from '../ports/Index.js';
import type { WorkflowStore } from '../workflow/WorkflowStore.js';
import { PostgresWorkflowStore } from '../workflow/postgres/PostgresWorkflowStore.js';
import { SqliteWorkflowStore } from '../workflow/sqlite/SqliteWorkflowStore.js';
import type { WorklistStore } from '../worklist/WorklistStore.js';
import { PostgresWorklistStore } from '../worklist/postgres/PostgresWorklistStore.js';
import { SqliteWorklistStore } from '../worklist/sqlite/SqliteWorklistStore.js';
import { FsBlobStore } from './fs/FsBlobStore.js';
import { PostgresDatabase } from './postgres/PostgresDatabase.js';
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
  checkDatabaseUrl(options.database);
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

function checkDatabaseUrl(database: string | undefined): void {
  if (database && !/^postgres(ql)?:\/\//.test(database)) {
    throw new PacsError('INVALID_ARGUMENT', 'database must be a postgres:// URL');
  }
}

/** The AE table as the composition root uses it: admin routes, plus `--ae-table` entries at start. */
export interface StartupAeTable extends ManagedAeTable {
  upsertAll(entries: readonly RemoteApplicationEntity[]): void | Promise<void>;
}

/** The stores of the workflow API, access control, audit trail, worklist and DIMSE AE table. */
export interface OpenedStores {
  access: AccessStore;
  audit: AuditStore;
  workflow: WorkflowStore;
  worklist: WorklistStore;
  aeTable: StartupAeTable;
  /**
   * The access-token key: `configured` (base64) when given, else one kept where every process
   * sharing this database finds it (the data dir embedded, the database in the scale-out mode).
   */
  jwtSecret(configured: string | undefined): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Builds the stores beside the index: embedded, their own tables in the index's SQLite file;
 * scale-out (`postgres://…`), tables in the shared PostgreSQL database, so every archive process
 * sees the same users, orders, reports, audit chain, worklist and AE table.
 */
export async function openStores(options: { database?: string; dataDir: string }): Promise<OpenedStores> {
  checkDatabaseUrl(options.database);
  if (options.database) {
    // A pool of its own: the index's is private to PostgresIndex, and both are short-statement pools.
    const db = await PostgresDatabase.open({ connectionString: options.database });
    try {
      const access = await PostgresAccessStore.open(db);
      return {
        access,
        audit: await PostgresAuditStore.open(db),
        workflow: await PostgresWorkflowStore.open(db),
        worklist: await PostgresWorklistStore.open(db),
        aeTable: await PostgresAeTable.open(db),
        jwtSecret: async (configured) =>
          loadJwtSecret(options.dataDir, configured || (await access.sharedJwtSecret())),
        close: () => db.close(),
      };
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  const path = join(options.dataDir, 'index.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const worklist = new SqliteWorklistStore(path);
  const aeTable = new SqliteAeTable(path);
  return {
    access: new SqliteAccessStore(db),
    audit: new SqliteAuditStore(db),
    workflow: new SqliteWorkflowStore(db),
    worklist,
    aeTable,
    jwtSecret: async (configured) => loadJwtSecret(options.dataDir, configured),
    async close() {
      await worklist.close();
      aeTable.close();
      db.close();
    },
  };
}
