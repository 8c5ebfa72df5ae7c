import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auth } from '../../../test/helpers.js';
import { ensureBuilt, freePort, spawnArchive } from '../../../test/processHelpers.js';
import { type ThrowawayPostgres, startPostgresOnFreePort } from '../../adapters/contract/startPostgres.js';
import type { ScuJob } from '../../dimse/scuJobs.js';
import { type TestServer, startTestServer } from '../../dimse/test/harness.js';

// Issue 9, "jobs run once": two real archive processes (the built CLI) share one PostgreSQL 15,
// so one pg-boss queue. C-ECHO jobs submitted to either are counted at the echo peer they target.
describe('SCU jobs with two archive processes on one PostgreSQL', { timeout: 120_000 }, () => {
  let postgres: ThrowawayPostgres;
  let peer: TestServer;
  const echoesFrom = new Map<string, number>();
  const processes: ChildProcess[] = [];
  const dirs: string[] = [];
  const ports: number[] = [];

  beforeAll(async () => {
    ensureBuilt();
    postgres = await startPostgresOnFreePort();
    const database = postgres.createDatabase('two_archives');
    peer = await startTestServer({
      aeTitle: 'ECHOSCP',
      onOperation: (event) => {
        if (event.operation === 'C-ECHO')
          echoesFrom.set(event.callingAE, (echoesFrom.get(event.callingAE) ?? 0) + 1);
      },
    });
    const config = mkdtempSync(join(tmpdir(), 'pacskit-two-archives-'));
    dirs.push(config);
    const aeTable = join(config, 'ae-table.json');
    writeFileSync(aeTable, JSON.stringify({ ECHOSCP: { host: '127.0.0.1', port: peer.port } }));
    // Each process calls with its own AE title, so the peer can tell which one ran a job.
    const start = async (aet: string) => {
      const port = await freePort();
      const dataDir = mkdtempSync(join(tmpdir(), 'pacskit-two-archives-'));
      dirs.push(dataDir);
      processes.push(
        await spawnArchive(dataDir, port, {
          args: ['--database', database, '--ae-table', aeTable, '--aet', aet],
        }),
      );
      return port;
    };
    // Started together: pg-boss's schema and the records table are created under locks.
    ports.push(...(await Promise.all([start('ARCHIVE1'), start('ARCHIVE2')])));
  }, 120_000);

  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await peer?.close();
    postgres?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const call = async (processIndex: number, method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${ports[processIndex]}${path}`, {
      method,
      headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: (await response.json()) as unknown };
  };

  test('N jobs submitted to either process each run exactly once', async () => {
    const count = 24;
    const ids: string[] = [];
    for (let n = 0; n < count; n++) {
      const submitted = await call(n % 2, 'POST', '/api/dicom/jobs', { kind: 'echo', remoteAE: 'ECHOSCP' });
      expect(submitted.status, JSON.stringify(submitted.json)).toBe(202);
      ids.push((submitted.json as ScuJob).id);
    }
    // Every job is visible from the other process too: the records are shared.
    const deadline = Date.now() + 60_000;
    let jobs: ScuJob[] = [];
    while (Date.now() < deadline) {
      jobs = (await call(1, 'GET', '/api/dicom/jobs')).json as ScuJob[];
      const ours = jobs.filter((job) => ids.includes(job.id));
      if (ours.length === count && ours.every((job) => job.state === 'succeeded' || job.state === 'dead'))
        break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const ours = jobs.filter((job) => ids.includes(job.id));
    expect(ours.map((job) => [job.state, job.attempts])).toEqual(ids.map(() => ['succeeded', 1]));
    // One association per run: as many C-ECHOs as jobs, none twice, shared between the processes.
    const total = [...echoesFrom.values()].reduce((sum, n) => sum + n, 0);
    expect(total).toBe(count);
    expect([...echoesFrom.keys()].sort()).toEqual(['ARCHIVE1', 'ARCHIVE2']);
    expect(((await call(0, 'GET', '/api/dicom/dead-letters')).json as ScuJob[]).map((job) => job.id)).toEqual(
      [],
    );
  });
});
