import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ThrowawayPostgres, startPostgresOnFreePort } from '../../adapters/contract/startPostgres.js';
import { jobQueueContract, waitForEnd } from '../jobQueueContract.js';
import { PgBossJobQueue } from './PgBossJobQueue.js';

describe('PgBossJobQueue on PostgreSQL 15', { timeout: 60_000 }, () => {
  let postgres: ThrowawayPostgres;
  let database: string;
  beforeAll(async () => {
    postgres = await startPostgresOnFreePort();
    database = postgres.createDatabase('jobs');
  }, 60_000);
  afterAll(() => postgres?.stop());

  const open = () =>
    PgBossJobQueue.open({ connectionString: database, pollingIntervalSeconds: 0.5, maxConnections: 3 });

  jobQueueContract({ open, backoffMs: 1000 });

  test('two queues on one database (two processes) run each of N jobs exactly once', async () => {
    // Opened together: pg-boss's schema and our records table are created under locks.
    const [first, second] = await Promise.all([open(), open()]);
    const runs = new Map<string, number>();
    const ranIn = new Set<string>();
    const handler = (name: string) => async (_request: unknown, context: { jobId: string }) => {
      runs.set(context.jobId, (runs.get(context.jobId) ?? 0) + 1);
      ranIn.add(name);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return name;
    };
    await first!.work('exactly-once', handler('first'), { concurrency: 2 });
    await second!.work('exactly-once', handler('second'), { concurrency: 2 });
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, n) => (n % 2 ? first! : second!).enqueue('exactly-once', { n })),
    );
    const ended = await Promise.all(ids.map(({ id }) => waitForEnd(first!, id)));
    expect(ended.every((job) => job.state === 'succeeded' && job.attempts === 1)).toBe(true);
    expect([...runs.values()]).toEqual(ids.map(() => 1));
    expect(runs.size).toBe(40);
    expect(ranIn).toEqual(new Set(['first', 'second']));
    await Promise.all([first!.close(), second!.close()]);
  });
});
