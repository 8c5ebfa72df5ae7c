import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThrowawayPostgres, startPostgresOnFreePort } from '../contract/startPostgres.js';
import { openStores } from '../openStorage.js';

// The scale-out stores' start: migrations, the shared JWT key and a database that goes away.
describe('the PostgreSQL stores of several archive processes', () => {
  let server: ThrowawayPostgres;
  beforeAll(async () => {
    server = await startPostgresOnFreePort();
  }, 60_000);
  afterAll(() => server?.stop());

  it('run each store migration once when several processes start at once, and share one JWT key', async () => {
    const database = server.createDatabase('start_race');
    const opened = await Promise.all(
      Array.from({ length: 4 }, () => openStores({ database, dataDir: '/nonexistent' })),
    );
    try {
      const client = new pg.Client({ connectionString: database });
      await client.connect();
      const { rows } = await client.query<{ component: string; version: number }>(
        'SELECT component, version FROM pacskit_component_migrations ORDER BY component, version',
      );
      await client.end();
      expect(rows).toEqual(
        ['access', 'audit', 'dimse', 'workflow', 'worklist'].map((component) => ({ component, version: 1 })),
      );
      const secrets = await Promise.all(opened.map((stores) => stores.jwtSecret(undefined)));
      expect(secrets[0]?.byteLength).toBe(32);
      for (const secret of secrets) expect(Buffer.from(secret).equals(Buffer.from(secrets[0]!))).toBe(true);
      // A configured key still wins.
      const configured = Buffer.alloc(32, 7).toString('base64');
      expect(Buffer.from(await opened[0]!.jwtSecret(configured)).equals(Buffer.alloc(32, 7))).toBe(true);
    } finally {
      await Promise.all(opened.map((stores) => stores.close()));
    }
  });

  it('answers UNAVAILABLE while PostgreSQL is down and recovers by itself', async () => {
    const stores = await openStores({ database: server.createDatabase('restart'), dataDir: '/nonexistent' });
    try {
      await stores.workflow.nextSequence('k');
      server.halt();
      await expect(stores.workflow.nextSequence('k')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await expect(
        stores.audit.append(
          {
            type: 'study.read',
            action: 'R',
            category: 'instances-accessed',
            outcome: 'success',
            actor: 'user:1',
            protocol: 'http',
            operation: '/x',
          },
          0,
          'id-1',
        ),
      ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      server.resume();
      expect(await stores.workflow.nextSequence('k')).toBe(2);
    } finally {
      await stores.close();
    }
  }, 60_000);
});
