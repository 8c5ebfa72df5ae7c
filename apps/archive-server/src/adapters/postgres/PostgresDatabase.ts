import { PacsError, isPacsError } from '@pacskit/dicom';
import pg from 'pg';
import { migrateComponent } from './migrate.js';

/** What a store runs SQL on: the pool, or one client inside a transaction. */
export interface PostgresQueryable {
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface PostgresDatabaseOptions {
  /** `postgres://user@host:port/db`. */
  connectionString: string;
  /** Pool size per process (default 5: the stores' statements are short). */
  maxConnections?: number;
}

/** PostgreSQL error codes (Appendix A of the PostgreSQL manual). */
export const uniqueViolation = '23505';
const retryableCodes = new Set(['40001', '40P01']);

// BIGINT (ms timestamps, COUNT) and NUMERIC (SUM) come back as JS numbers, as better-sqlite3 gives
// them, so both adapters decode rows alike; every such value here is far below 2^53.
const int8 = 20;
const numeric = 1700;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8 || oid === numeric
      ? Number
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * Connection loss, a server restart or a refused connection: UNAVAILABLE (HTTP 503, a DIMSE
 * out-of-resources status); the pool reconnects on the next call. SQL errors pass through.
 */
export function unavailable(error: unknown): unknown {
  if (isPacsError(error)) return error;
  const code = pgCode(error);
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && !code.startsWith('57'))
    return error;
  return new PacsError('UNAVAILABLE', 'the database is unavailable', { cause: error });
}

/**
 * The connection pool the workflow, access, audit, worklist and AE-table stores share in the
 * scale-out mode, with their migrations (`migrateComponent`, safe when several processes start at
 * once) and transactions retried on deadlock / serialization failure.
 */
export class PostgresDatabase implements PostgresQueryable {
  private constructor(private readonly pool: pg.Pool) {}

  static async open(options: PostgresDatabaseOptions): Promise<PostgresDatabase> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 5,
      types,
    });
    // An idle client losing its connection (server restart) must not crash the process.
    pool.on('error', () => undefined);
    // A checked-out client has no pool listener, and pg emits a lost connection as 'error' on it
    // besides failing its query: without a listener a PostgreSQL restart mid-transaction would crash.
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new PostgresDatabase(pool);
  }

  /** Applies a store's pending migrations. */
  async migrate(component: string, migrations: readonly string[]): Promise<void> {
    try {
      await migrateComponent(this.pool, component, migrations);
    } catch (error) {
      throw unavailable(error);
    }
  }

  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** Runs `work` in one READ COMMITTED transaction, retried on deadlock / serialization failure. */
  async transaction<T>(work: (client: PostgresQueryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw unavailable(error);
      }
      const connection = client;
      let broken = false;
      try {
        await connection.query('BEGIN');
        const result = await work({
          query: async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
            (await connection.query<R>(sql, params)).rows,
        });
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        // A connection-level failure (no SQLSTATE): drop the client instead of pooling it again.
        broken = !/^[0-9A-Z]{5}$/.test(pgCode(error) ?? '') && !isPacsError(error);
        if (!broken) await connection.query('ROLLBACK').catch(() => undefined);
        if (attempt < 5 && retryableCodes.has(pgCode(error) ?? '')) continue;
        throw unavailable(error);
      } finally {
        connection.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}
