import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { jobQueueContract, waitForEnd } from '../jobQueueContract.js';
import { SqliteJobQueue } from './SqliteJobQueue.js';

describe('SqliteJobQueue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pacskit-jobs-'));
  const databases: Database.Database[] = [];
  // Each open is a new connection to the same file, as a restarted archive opens index.sqlite.
  const openDatabase = () => {
    const db = new Database(join(dir, 'index.sqlite'));
    db.pragma('journal_mode = WAL');
    databases.push(db);
    return db;
  };
  afterAll(() => {
    for (const db of databases) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  jobQueueContract({ open: async () => SqliteJobQueue.open(join(dir, 'index.sqlite')), backoffMs: 100 });

  test('an attempt running when the process died is counted as failed and retried at the next start', async () => {
    const crashed = new SqliteJobQueue(openDatabase());
    const { id } = await crashed.enqueue('crash', {});
    await crashed.work('crash', () => new Promise(() => undefined), { concurrency: 1 });
    const deadline = Date.now() + 10_000;
    while ((await crashed.get(id))?.state !== 'running' && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    // No close(): the process is gone with the attempt still marked running.
    const restarted = new SqliteJobQueue(openDatabase());
    expect(await restarted.get(id)).toMatchObject({
      state: 'retrying',
      attempts: 1,
      error: { code: 'ABORTED' },
    });
    await restarted.work('crash', async (_request, context) => context.attempt);
    expect(await waitForEnd(restarted, id)).toMatchObject({ state: 'succeeded', attempts: 2, result: 2 });
    await restarted.close();
  });
});
