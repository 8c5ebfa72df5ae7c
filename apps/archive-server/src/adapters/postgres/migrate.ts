import type pg from 'pg';
import { migrations } from './schema.js';

/** Arbitrary, fixed key of the advisory lock that serializes migrations across processes. */
const migrationLockKey = 0x7061_6373;

/**
 * Runs `work` in one transaction holding the migration lock. Several archive processes starting at
 * once wait on it, then see the migrations as applied (PostgreSQL DDL is transactional, so a failed
 * migration leaves nothing behind).
 */
async function withMigrationLock<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Applies the index's pending migrations (`schema.ts`); returns how many ran. */
export async function migrate(pool: pg.Pool): Promise<number> {
  return withMigrationLock(pool, async (client) => {
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
    return applied;
  });
}

/**
 * Applies the pending migrations of one store (access, audit, workflow, worklist, dimse), each
 * numbered on its own in `pacskit_component_migrations` so a store's schema evolves without
 * renumbering the index's. Same lock as the index's migrations.
 */
export async function migrateComponent(
  pool: pg.Pool,
  component: string,
  componentMigrations: readonly string[],
): Promise<number> {
  return withMigrationLock(pool, async (client) => {
    await client.query(
      `CREATE TABLE IF NOT EXISTS pacskit_component_migrations (
         component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
         PRIMARY KEY (component, version))`,
    );
    const { rows } = await client.query<{ version: number }>(
      'SELECT coalesce(max(version), 0) AS version FROM pacskit_component_migrations WHERE component = $1',
      [component],
    );
    const current = rows[0]?.version ?? 0;
    let applied = 0;
    for (let version = current + 1; version <= componentMigrations.length; version++) {
      await client.query(componentMigrations[version - 1] as string);
      await client.query('INSERT INTO pacskit_component_migrations (component, version) VALUES ($1, $2)', [
        component,
        version,
      ]);
      applied++;
    }
    return applied;
  });
}
