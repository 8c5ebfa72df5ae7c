import type pg from 'pg';
import { migrations } from './schema.js';

/** Arbitrary, fixed key of the advisory lock that serializes migrations across processes. */
const migrationLockKey = 0x7061_6373;

/**
 * Applies the pending migrations. Safe when several archive processes start at once: the
 * transaction-scoped advisory lock makes the others wait, then they see the migrations as applied
 * (PostgreSQL DDL is transactional, so a failed migration leaves nothing behind).
 */
export async function migrate(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS pacskit_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number }>(
      'SELECT coalesce(max(version), 0) AS version FROM pacskit_migrations',
    );
    const current = rows[0]?.version ?? 0;
    let applied = 0;
    for (let version = current + 1; version <= migrations.length; version++) {
      await client.query(migrations[version - 1] as string);
      await client.query('INSERT INTO pacskit_migrations (version) VALUES ($1)', [version]);
      applied++;
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
