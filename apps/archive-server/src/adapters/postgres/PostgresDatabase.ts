import pg from 'pg';
import { migrateComponent } from './migrate.js';
import { inTransaction, openPool, unavailable } from './pgPool.js';

/** What a store runs SQL on: the pool, or one client inside a transaction. */
export interface PostgresQueryable {
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface PostgresDatabaseOptions {
  /** `postgres://user@host:port/db`. */
  connectionString: string;
  /** Pool size per process (default 10, as the index's: every HTTP request's access check runs here). */
  maxConnections?: number;
}

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

/**
 * The connection pool the workflow, access, audit, worklist and AE-table stores share in the
 * scale-out mode, with their migrations (`migrateComponent`, safe when several processes start at
 * once) and transactions retried on deadlock / serialization failure.
 */
export class PostgresDatabase implements PostgresQueryable {
  private constructor(private readonly pool: pg.Pool) {}

  static async open(options: PostgresDatabaseOptions): Promise<PostgresDatabase> {
    const pool = openPool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      types,
      // Names the pool and its process in pg_stat_activity, to tell a saturated pool from the
      // index's and one process from another (an application_name in the URL wins).
      application_name: `pacskit-stores-${process.pid}`,
    });
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
    return inTransaction(this.pool, (client) =>
      work({
        query: async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
          (await client.query<R>(sql, params)).rows,
      }),
    );
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}
