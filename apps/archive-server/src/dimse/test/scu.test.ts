import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ThrowawayPostgres, startPostgresOnFreePort } from '../../adapters/contract/startPostgres.js';
import { errorHandler } from '../../http/errorHandler.js';
import type { JobQueue } from '../../jobs/JobQueue.js';
import { PgBossJobQueue } from '../../jobs/postgres/PgBossJobQueue.js';
import { SqliteJobQueue } from '../../jobs/sqlite/SqliteJobQueue.js';
import { dimseAdminRoutes } from '../dimseAdminRoutes.js';
import { ScuJobs, type ScuJob } from '../scuJobs.js';
import { SqliteAeTable } from '../sqlite/SqliteAeTable.js';
import {
  type CorpusInstance,
  type OrthancPeer,
  type TestServer,
  freePort,
  generateCorpus,
  run,
  startOrthanc,
  startTestServer,
  temporaryDirectory,
} from './harness.js';
import type { MemoryDimseServices } from './memoryDimseServices.js';

/** Each queue adapter: `open` reopens the same durable queue (a restart). */
interface QueueAdapter {
  name: string;
  setUp(): Promise<{ open(): Promise<JobQueue>; tearDown(): void }>;
}

const adapters: QueueAdapter[] = [
  {
    name: 'SqliteJobQueue (embedded)',
    async setUp() {
      const dir = mkdtempSync(join(tmpdir(), 'pacskit-scu-jobs-'));
      return {
        open: async () => SqliteJobQueue.open(join(dir, 'index.sqlite')),
        tearDown: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'PgBossJobQueue (scale-out)',
    async setUp() {
      const postgres: ThrowawayPostgres = await startPostgresOnFreePort();
      const connectionString = postgres.createDatabase('scu_jobs');
      return {
        open: () => PgBossJobQueue.open({ connectionString, pollingIntervalSeconds: 0.5, maxConnections: 3 }),
        tearDown: () => postgres.stop(),
      };
    },
  },
];

/** PacsKit as an SCU of Orthanc through the admin routes: jobs, progress, retries, dead letters. */
describe.each(adapters)('SCU jobs against Orthanc on $name', { timeout: 60_000 }, (adapter) => {
  let server: TestServer;
  let orthanc: OrthancPeer;
  let corpus: CorpusInstance[];
  let files: Awaited<ReturnType<typeof temporaryDirectory>>;
  const aeTable = new SqliteAeTable(':memory:');
  let storage: Awaited<ReturnType<QueueAdapter['setUp']>>;
  let queue: JobQueue;
  let jobs: ScuJobs;
  const app = Fastify();
  const headers = { authorization: 'Bearer admin' };
  const newScuJobs = (on: JobQueue) =>
    new ScuJobs({
      queue: on,
      context: { callingAE: 'PACSKIT' },
      aeTable,
      services: server.services,
      backoffMs: 20,
    });

  /** Polls the job through the admin route until it has succeeded or is dead. */
  const waitFor = async (id: string): Promise<ScuJob> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const job = (
        await app.inject({ method: 'GET', url: `/api/dicom/jobs/${id}`, headers })
      ).json() as ScuJob;
      if (job.state === 'succeeded' || job.state === 'dead') return job;
      if (Date.now() > deadline) throw new Error(`job still ${job.state}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const submit = async (body: Record<string, unknown>): Promise<string> => {
    const response = await app.inject({ method: 'POST', url: '/api/dicom/jobs', headers, payload: body });
    expect(response.statusCode, response.body).toBe(202);
    return (response.json() as ScuJob).id;
  };

  beforeAll(async () => {
    server = await startTestServer({ aeTable: [] });
    orthanc = await startOrthanc({ pacskit: ['PACSKIT', '127.0.0.1', server.port] });
    // The SCP's AE table is the same one the admin routes manage (C-MOVE destinations, SCU targets).
    server.aeTable.set({ aeTitle: 'ORTHANC', host: '127.0.0.1', port: orthanc.dicomPort });
    storage = await adapter.setUp();
    queue = await storage.open();
    jobs = newScuJobs(queue);
    await jobs.start();
    app.setErrorHandler(errorHandler);
    await app.register(dimseAdminRoutes, {
      aeTable,
      jobs,
      authenticate: async (request, reply) => {
        if (request.headers.authorization !== 'Bearer admin')
          await reply.code(401).send({ code: 'UNAUTHENTICATED' });
      },
    });
    const put = await app.inject({
      method: 'PUT',
      url: '/api/dicom/aes/ORTHANC',
      headers,
      payload: { host: '127.0.0.1', port: orthanc.dicomPort },
    });
    expect(put.statusCode, put.body).toBe(200);
    files = await temporaryDirectory();
    corpus = await generateCorpus(files.path, { patients: 2, studies: 2, series: 1, instances: 2 });
    // Patient PID1's studies go to Orthanc, PID2's to PacsKit.
    const toOrthanc = corpus.filter((i) => i.patientID === 'PID1').map((i) => i.path);
    const toPacsKit = corpus.filter((i) => i.patientID === 'PID2').map((i) => i.path);
    expect(
      (await run('storescu', ['-aec', 'ORTHANC', '127.0.0.1', String(orthanc.dicomPort), ...toOrthanc])).code,
    ).toBe(0);
    expect(
      (await run('storescu', ['-aec', 'PACSKIT', '127.0.0.1', String(server.port), ...toPacsKit])).code,
    ).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await queue?.close();
    await app.close();
    await orthanc.stop();
    await server.close();
    aeTable.close();
    await files.remove();
    storage?.tearDown();
  });

  test('the AE table is managed by the admin routes', async () => {
    const listed = await app.inject({ method: 'GET', url: '/api/dicom/aes', headers });
    expect(listed.json()).toEqual([{ aeTitle: 'ORTHANC', host: '127.0.0.1', port: orthanc.dicomPort }]);
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/dicom/aes/BAD',
      headers,
      payload: { host: '', port: 0 },
    });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/dicom/aes' })).statusCode).toBe(401);
  });

  test('echo job succeeds', async () => {
    const job = await waitFor(await submit({ kind: 'echo', remoteAE: 'ORTHANC' }));
    expect(job.state).toBe('succeeded');
  });

  test('find job at study level returns Orthanc matches as DICOM JSON', async () => {
    const job = await waitFor(
      await submit({
        kind: 'find',
        remoteAE: 'ORTHANC',
        level: 'STUDY',
        keys: { '00100020': { vr: 'LO', Value: ['PID1'] }, '0020000D': { vr: 'UI' } },
      }),
    );
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const studies = new Set(corpus.filter((i) => i.patientID === 'PID1').map((i) => i.studyInstanceUID));
    expect(new Set(job.matches?.map((match) => match['0020000D']?.Value?.[0]))).toEqual(studies);
  });

  test('move job retrieves a study from Orthanc into this archive, with sub-operation counts', async () => {
    const study = corpus.find((i) => i.patientID === 'PID1')!;
    const job = await waitFor(
      await submit({ kind: 'move', remoteAE: 'ORTHANC', studyInstanceUID: study.studyInstanceUID }),
    );
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.progress?.completed).toBe(2);
    const instances = (server.services as MemoryDimseServices).instances;
    expect([...instances.values()].filter((i) => i.studyInstanceUID === study.studyInstanceUID)).toHaveLength(
      2,
    );
  });

  test('get job retrieves a study from Orthanc with C-GET (SCP role), stored through the same ingest', async () => {
    const study = corpus.filter((i) => i.patientID === 'PID1')[2]!;
    const job = await waitFor(
      await submit({ kind: 'get', remoteAE: 'ORTHANC', studyInstanceUID: study.studyInstanceUID }),
    );
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.progress?.completed).toBe(2);
    const instances = (server.services as MemoryDimseServices).instances;
    expect([...instances.values()].filter((i) => i.studyInstanceUID === study.studyInstanceUID)).toHaveLength(
      2,
    );
  });

  test('store job sends a study from this archive to Orthanc', async () => {
    const study = corpus.find((i) => i.patientID === 'PID2')!;
    const job = await waitFor(
      await submit({ kind: 'store', remoteAE: 'ORTHANC', studyInstanceUID: study.studyInstanceUID }),
    );
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.progress).toEqual({ remaining: 0, completed: 2, failed: 0, warning: 0 });
    const found = (await orthanc.api('/tools/find', {
      Level: 'Study',
      Query: { StudyInstanceUID: study.studyInstanceUID },
    })) as string[];
    expect(found).toHaveLength(1);
  });

  test('a job to an AE that does not answer is retried, then dead-lettered', async () => {
    aeTable.set({ aeTitle: 'GONE', host: '127.0.0.1', port: await freePort() });
    const job = await waitFor(await submit({ kind: 'echo', remoteAE: 'GONE' }));
    expect(job.state).toBe('dead');
    expect(job.attempts).toBe(3);
    expect(job.error?.code).toBe('ASSOCIATION_FAILED');
    const dead = (
      await app.inject({ method: 'GET', url: '/api/dicom/dead-letters', headers })
    ).json() as ScuJob[];
    expect(dead.map((entry) => entry.id)).toContain(job.id);
  });

  test('an unknown AE fails at once (no retries)', async () => {
    const job = await waitFor(await submit({ kind: 'echo', remoteAE: 'NOBODY' }));
    expect(job.state).toBe('dead');
    expect(job.attempts).toBe(1);
    expect(job.error?.code).toBe('UNKNOWN_AE');
  });

  test('a job submitted before a restart runs after it', async () => {
    // The process that takes the job stops before any worker of it ran the job.
    const stopping = await storage.open();
    const submitted = await newScuJobs(stopping).submit({ kind: 'echo', remoteAE: 'ORTHANC' });
    expect(submitted.state).toBe('queued');
    await stopping.close();
    // The running archive's own worker, or the restarted one, runs it: either way exactly once.
    const restarted = await storage.open();
    const restartedJobs = newScuJobs(restarted);
    expect((await restartedJobs.get(submitted.id))?.request).toEqual({ kind: 'echo', remoteAE: 'ORTHANC' });
    await restartedJobs.start();
    const job = await waitFor(submitted.id);
    expect(job).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect((await jobs.list()).map((entry) => entry.id)).toContain(submitted.id);
    await restarted.close();
  });
});
