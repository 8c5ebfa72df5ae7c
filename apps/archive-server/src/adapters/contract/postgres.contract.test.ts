import { isPacsError } from '@pacskit/dicom';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../openStorage.js';
import { PostgresIndex } from '../postgres/PostgresIndex.js';
import { indexContract } from './indexContract.js';
import { makeRecord } from './makeRecord.js';
import { type ThrowawayPostgres, startPostgresOnFreePort } from './startPostgres.js';

// The scale-out index: a throwaway PostgreSQL 15 cluster on 127.0.0.1 (FACTS.md).
let server: ThrowawayPostgres | undefined;
let databases = 0;

beforeAll(async () => {
  server = await startPostgresOnFreePort();
}, 60_000);

afterAll(async () => {
  server?.stop();
});

function freshDatabase(): string {
  if (!server) throw new Error('PostgreSQL did not start');
  return server.createDatabase(`contract_${++databases}`);
}

indexContract('PostgreSQL', async () =>
  PostgresIndex.open({ connectionString: freshDatabase(), maxConnections: 4 }),
);

describe('PostgresIndex shared by several processes', () => {
  it('runs migrations once when several instances start at once', async () => {
    const url = freshDatabase();
    const indexes = await Promise.all(
      Array.from({ length: 4 }, () => PostgresIndex.open({ connectionString: url, maxConnections: 2 })),
    );
    try {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ version: number }>('SELECT version FROM pacskit_migrations');
      await client.end();
      expect(rows.map((r) => r.version)).toEqual([1]);
      // Written through one, read through another.
      const record = makeRecord({ study: '5.1', series: '5.1.1', sop: '5.1.1.1' });
      await indexes[0]?.putInstance(record, { replace: false });
      expect(await indexes[3]?.findInstance('5.1.1.1')).toEqual(record);
      await indexes[2]?.deleteInstances({ studyInstanceUID: '5.1' });
      expect(await indexes[1]?.findInstance('5.1.1.1')).toBeUndefined();
    } finally {
      await Promise.all(indexes.map((index) => index.close()));
    }
  });

  it('concurrent stores of one SOP instance from two instances end in one consistent row', async () => {
    const url = freshDatabase();
    const a = await PostgresIndex.open({ connectionString: url, maxConnections: 4 });
    const b = await PostgresIndex.open({ connectionString: url, maxConnections: 4 });
    try {
      for (let round = 0; round < 10; round++) {
        const sop = `6.1.1.${round}`;
        const fromA = makeRecord({ study: '6.1', series: '6.1.1', sop });
        const fromB = makeRecord({ study: '6.1', series: '6.1.1', sop });
        // Without replace: exactly one wins, the other is told DUPLICATE_INSTANCE.
        const outcomes = await Promise.allSettled([
          a.putInstance(fromA, { replace: false }),
          b.putInstance(fromB, { replace: false }),
        ]);
        const failures = outcomes.filter((o) => o.status === 'rejected');
        expect(failures).toHaveLength(1);
        const reason = (failures[0] as PromiseRejectedResult).reason;
        expect(isPacsError(reason) && reason.code).toBe('DUPLICATE_INSTANCE');
        const stored = await a.findInstance(sop);
        expect([fromA.blobKey, fromB.blobKey]).toContain(stored?.blobKey);
        // With replace: both succeed; the row left is one of the two, whole.
        const againA = makeRecord({ study: '6.1', series: '6.1.1', sop, instanceNumber: 2 });
        const againB = makeRecord({ study: '6.1', series: '6.1.1', sop, instanceNumber: 3 });
        await Promise.all([
          a.putInstance(againA, { replace: true }),
          b.putInstance(againB, { replace: true }),
        ]);
        const final = await b.findInstance(sop);
        expect([againA, againB]).toContainEqual(final);
      }
      expect(await a.countInstances()).toBe(10);
      const [study] = await b.search({ level: 'study', conditions: [] });
      expect(study?.study['00201208']?.Value).toEqual([10]);
      const [series] = await a.search({ level: 'series', conditions: [] });
      expect(series?.series?.['00201209']?.Value).toEqual([10]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('concurrent batches into the same studies keep exact counts', async () => {
    const url = freshDatabase();
    const a = await PostgresIndex.open({ connectionString: url, maxConnections: 4 });
    const b = await PostgresIndex.open({ connectionString: url, maxConnections: 4 });
    try {
      const batch = (prefix: string) =>
        Array.from({ length: 20 }, (_, i) =>
          makeRecord({ study: `7.${i % 3}`, series: `7.${i % 3}.1`, sop: `7.${prefix}.${i}` }),
        );
      const results = await Promise.all([
        a.putInstances(batch('1'), { replace: false }),
        b.putInstances(batch('2'), { replace: false }),
        a.putInstances(batch('3'), { replace: false }),
      ]);
      expect(results.flat().every((r) => !('error' in r))).toBe(true);
      const studies = await b.search({ level: 'study', conditions: [] });
      const total = studies.reduce((sum, row) => sum + Number(row.study['00201208']?.Value?.[0]), 0);
      expect(total).toBe(60);
      expect(await a.countInstances()).toBe(60);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('openStorage opens the PostgreSQL index for a postgres:// database', async () => {
    const storage = await openStorage({ database: freshDatabase(), dataDir: '/nonexistent' });
    try {
      expect(storage.index).toBeInstanceOf(PostgresIndex);
      expect(await storage.index.countInstances()).toBe(0);
    } finally {
      await storage.close();
    }
  });

  it('a PostgreSQL restart fails requests with UNAVAILABLE, then the same index recovers by itself', async () => {
    const index = await PostgresIndex.open({ connectionString: freshDatabase(), maxConnections: 2 });
    try {
      const before = makeRecord({ study: '9.1', series: '9.1.1', sop: '9.1.1.1' });
      await index.putInstance(before, { replace: false });
      server?.halt();
      for (const attempt of [
        () => index.findInstance('9.1.1.1'),
        () =>
          index.putInstance(makeRecord({ study: '9.1', series: '9.1.1', sop: '9.1.1.2' }), {
            replace: false,
          }),
      ]) {
        const error = await attempt().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isPacsError(error) && error.code).toBe('UNAVAILABLE');
      }
      server?.resume();
      // Acknowledged before the crash: still there. Refused during it: not half-written.
      expect(await index.findInstance('9.1.1.1')).toEqual(before);
      expect(await index.findInstance('9.1.1.2')).toBeUndefined();
      await index.putInstance(makeRecord({ study: '9.1', series: '9.1.1', sop: '9.1.1.2' }), {
        replace: false,
      });
      expect(await index.countInstances()).toBe(2);
    } finally {
      server?.resume();
      await index.close();
    }
  }, 30_000);

  it('answers UNAVAILABLE when the database cannot be reached', async () => {
    const error = await PostgresIndex.open({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
    }).catch((e: unknown) => e);
    expect(isPacsError(error) && error.code).toBe('UNAVAILABLE');
  });
});
