import { PacsError, isPacsError } from '@pacskit/dicom';
import pg from 'pg';

/**
 * What the PostgreSQL index and the stores' PostgresDatabase share: how a pool is opened, how a
 * transaction is retried, and how pg errors become PacsErrors.
 */

/** PostgreSQL error codes (Appendix A of the PostgreSQL manual). */
export const uniqueViolation = '23505';
const retryableCodes = new Set(['40001', '40P01']);

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

export function openPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  // A checked-out client has no pool listener, and pg emits a lost connection as 'error' on it
  // besides failing its query: without a listener a PostgreSQL restart mid-transaction would crash.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Runs `work` in one READ COMMITTED transaction, retried on deadlock / serialization failure. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection-level failure (no SQLSTATE): drop the client instead of pooling it again.
      broken = !/^[0-9A-Z]{5}$/.test(pgCode(error) ?? '') && !isPacsError(error);
      if (!broken) await client.query('ROLLBACK').catch(() => undefined);
      if (attempt < 5 && retryableCodes.has(pgCode(error) ?? '')) continue;
      throw unavailable(error);
    } finally {
      client.release(broken);
    }
  }
}
