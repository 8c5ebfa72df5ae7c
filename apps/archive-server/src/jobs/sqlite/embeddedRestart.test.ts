import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { auth } from '../../../test/helpers.js';
import { ensureBuilt, freePort, spawnArchive, waitForExit } from '../../../test/processHelpers.js';
import { MemoryAeTable } from '../../dimse/aeTable.js';
import { type DimseServer, createDimseServer } from '../../dimse/createDimseServer.js';
import type { ScuJob } from '../../dimse/scuJobs.js';
import { MemoryDimseServices } from '../../dimse/test/memoryDimseServices.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
let peer: DimseServer | undefined;
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await peer?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// The embedded archive (the built CLI, SQLite in its data dir) is killed while an SCU job waits for
// its retry; the restarted archive runs it. Nothing but index.sqlite carries the job across.
test('a job waiting for its retry survives kill -9 of the embedded archive', {
  timeout: 120_000,
}, async () => {
  ensureBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'pacskit-jobs-restart-'));
  dirs.push(dataDir);
  const peerPort = await freePort();
  const aeTable = join(dataDir, 'ae-table.json');
  writeFileSync(aeTable, JSON.stringify({ ECHOSCP: { host: '127.0.0.1', port: peerPort } }));
  const httpPort = await freePort();
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${httpPort}${path}`, {
      method,
      headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await response.json()) as ScuJob;
  };
  const waitForState = async (id: string, states: ScuJob['state'][]) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const job = await call('GET', `/api/dicom/jobs/${id}`);
      if (states.includes(job.state)) return job;
      if (Date.now() > deadline) throw new Error(`job still ${job.state}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const first = await spawnArchive(dataDir, httpPort, { args: ['--ae-table', aeTable] });
  children.push(first);
  // The peer is down: the first attempt fails and the job waits for its retry (backoff 1 s).
  const { id } = await call('POST', '/api/dicom/jobs', { kind: 'echo', remoteAE: 'ECHOSCP' });
  expect(await waitForState(id, ['retrying', 'dead'])).toMatchObject({
    state: 'retrying',
    attempts: 1,
    error: { code: 'ASSOCIATION_FAILED' },
  });
  first.kill('SIGKILL');
  await waitForExit(first);

  let echoes = 0;
  peer = createDimseServer({
    host: '127.0.0.1',
    port: peerPort,
    aeTitle: 'ECHOSCP',
    services: new MemoryDimseServices(),
    aeTable: new MemoryAeTable(),
    onOperation: (event) => {
      if (event.operation === 'C-ECHO') echoes += 1;
    },
  });
  await peer.listen();
  children.push(await spawnArchive(dataDir, httpPort, { args: ['--ae-table', aeTable] }));
  expect(await waitForState(id, ['succeeded', 'dead'])).toMatchObject({ state: 'succeeded', attempts: 2 });
  expect(echoes).toBe(1);
});
