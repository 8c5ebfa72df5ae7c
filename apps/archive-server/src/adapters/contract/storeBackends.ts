import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll } from 'vitest';
import { type OpenedStores, openStores } from '../openStorage.js';
import { type ThrowawayPostgres, startPostgresOnFreePort } from './startPostgres.js';

/** Fresh, empty stores on one backend, plus raw SQL on the same database (tampering tests). */
export interface OpenedTestStores extends OpenedStores {
  /** Runs one statement with `$1`, `$2`… parameters (in order) and returns its rows. */
  sql(statement: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A second set of stores on the same database: another archive process (PostgreSQL only). */
  openAnother?(): Promise<OpenedStores>;
}

export interface StoreBackend {
  name: 'SQLite' | 'PostgreSQL';
  open(): Promise<OpenedTestStores>;
}

/**
 * The store backends every store test runs on: the embedded SQLite file and a throwaway
 * PostgreSQL 15 cluster (started on first use, one fresh database per `open`). Call at the top of
 * a test file and `describe.each` over the result; everything is closed after the file.
 */
export function storeBackends(): StoreBackend[] {
  let server: Promise<ThrowawayPostgres> | undefined;
  let databases = 0;
  const cleanups: (() => Promise<void> | void)[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'pacskit-stores-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    (await server)?.stop();
  }, 30_000);

  return [
    {
      name: 'SQLite',
      async open() {
        const dataDir = tempDir();
        const stores = await openStores({ dataDir });
        const raw = new Database(join(dataDir, 'index.sqlite'));
        cleanups.push(async () => {
          raw.close();
          await stores.close();
        });
        return {
          ...stores,
          async sql(statement, params = []) {
            const prepared = raw.prepare(statement.replace(/\$\d+/g, '?'));
            if (prepared.reader) return prepared.all(...params) as Record<string, unknown>[];
            prepared.run(...params);
            return [];
          },
        };
      },
    },
    {
      name: 'PostgreSQL',
      async open() {
        server ??= startPostgresOnFreePort();
        const database = (await server).createDatabase(`stores_${++databases}`);
        const open = async (): Promise<OpenedStores> => {
          const stores = await openStores({ database, dataDir: tempDir() });
          cleanups.push(() => stores.close());
          return stores;
        };
        const stores = await open();
        const raw = new pg.Client({ connectionString: database });
        await raw.connect();
        cleanups.push(() => raw.end());
        return {
          ...stores,
          async sql(statement, params = []) {
            return (await raw.query(statement, params)).rows as Record<string, unknown>[];
          },
          openAnother: open,
        };
      },
    },
  ];
}
