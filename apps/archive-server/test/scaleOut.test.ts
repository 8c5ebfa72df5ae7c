import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThrowawayPostgres, startPostgresOnFreePort } from '../src/adapters/contract/startPostgres.js';
import { type ThrowawayS3, startS3rver } from '../src/adapters/contract/startS3rver.js';
import { generateInstance, newUid, stowBody } from '../src/testing/generateInstance.js';
import { auth } from './helpers.js';
import { ensureBuilt, freePort, spawnArchive } from './processHelpers.js';

// Issue 9: several stateless archive processes on one PostgreSQL index and one S3-compatible
// object store behave as one archive. Two real CLI processes, a throwaway PostgreSQL 15 cluster
// and s3rver, all on 127.0.0.1.
describe('two archive processes sharing PostgreSQL and an object store', () => {
  let postgres: ThrowawayPostgres;
  let s3: ThrowawayS3;
  const processes: ChildProcess[] = [];
  const dataDirs: string[] = [];
  const ports: number[] = [];

  async function startProcess(database: string, blobStore: string): Promise<number> {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'pacskit-scale-out-'));
    dataDirs.push(dataDir);
    const child = await spawnArchive(dataDir, port, {
      args: ['--database', database, '--blob-store', blobStore],
      env: {
        AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      },
    });
    processes.push(child);
    return port;
  }

  beforeAll(async () => {
    ensureBuilt();
    postgres = await startPostgresOnFreePort();
    s3 = await startS3rver();
    const database = postgres.createDatabase('scale_out');
    const blobStore = `s3://${s3.bucket}?endpoint=${encodeURIComponent(s3.endpoint)}&region=us-east-1&forcePathStyle=true`;
    // Both start at once: migrations must be safe when several processes run them together.
    ports.push(
      ...(await Promise.all([startProcess(database, blobStore), startProcess(database, blobStore)])),
    );
  }, 120_000);

  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await s3?.stop();
    postgres?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  const url = (index: number, path: string) => `http://127.0.0.1:${ports[index]}/dicom-web${path}`;

  /** A workflow API call through process `index`, as admin unless another authorization is given. */
  async function api(
    index: number,
    method: string,
    path: string,
    body?: unknown,
    authorization = auth,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`http://127.0.0.1:${ports[index]}${path}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  it('stores through one process; the other finds, retrieves byte-for-byte and deletes it', async () => {
    const studyInstanceUID = newUid();
    const file = generateInstance({
      studyInstanceUID,
      seriesInstanceUID: newUid(),
      sopInstanceUID: newUid(),
      patientID: 'SCALE-1',
    });
    const { body, contentType } = stowBody([file]);
    const stored = await fetch(url(0, '/studies'), {
      method: 'POST',
      headers: { authorization: auth, 'content-type': contentType },
      body: new Uint8Array(body),
    });
    expect(stored.status).toBe(200);
    // Nothing of it landed on the processes' own disks: the blobs are in the object store.
    for (const dir of dataDirs)
      expect(existsSync(join(dir, 'blobs')) ? readdirSync(join(dir, 'blobs')) : []).toEqual([]);

    const found = await fetch(url(1, `/studies?PatientID=SCALE-1`), { headers: { authorization: auth } });
    expect(found.status).toBe(200);
    const studies = (await found.json()) as Array<Record<string, { Value: string[] }>>;
    expect(studies.map((study) => study['0020000D']?.Value[0])).toEqual([studyInstanceUID]);

    const instances = (await (
      await fetch(url(1, `/studies/${studyInstanceUID}/instances`), { headers: { authorization: auth } })
    ).json()) as Array<Record<string, { Value: string[] }>>;
    const series = instances[0]!['0020000E']!.Value[0];
    const sop = instances[0]!['00080018']!.Value[0];
    const retrieved = await fetch(url(1, `/studies/${studyInstanceUID}/series/${series}/instances/${sop}`), {
      headers: {
        authorization: auth,
        accept: 'multipart/related; type="application/dicom"; transfer-syntax=*',
      },
    });
    expect(retrieved.status).toBe(200);
    const bytes = Buffer.from(await retrieved.arrayBuffer());
    expect(bytes.includes(file)).toBe(true);

    const deleted = await fetch(url(1, `/studies/${studyInstanceUID}`), {
      method: 'DELETE',
      headers: { authorization: auth },
    });
    expect(deleted.status).toBeLessThan(300);
    const after = await fetch(url(0, `/studies?PatientID=SCALE-1`), { headers: { authorization: auth } });
    const remaining = after.status === 204 ? [] : ((await after.json()) as unknown[]);
    expect(remaining).toEqual([]);
  });

  it('ends concurrent stores of the same SOP instance through both processes in one row', async () => {
    const studyInstanceUID = newUid();
    const file = generateInstance({
      studyInstanceUID,
      seriesInstanceUID: newUid(),
      sopInstanceUID: newUid(),
      patientID: 'SCALE-2',
    });
    const { body, contentType } = stowBody([file]);
    const statuses = await Promise.all(
      [0, 1, 0, 1].map(async (index) => {
        const response = await fetch(url(index, '/studies'), {
          method: 'POST',
          headers: { authorization: auth, 'content-type': contentType },
          body: new Uint8Array(body),
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    // keep-first: one store, the others are duplicates answered with a warning (202) or success.
    for (const status of statuses) expect([200, 202, 409]).toContain(status);
    for (const index of [0, 1]) {
      const response = await fetch(url(index, `/studies/${studyInstanceUID}/instances`), {
        headers: { authorization: auth },
      });
      expect(((await response.json()) as unknown[]).length).toBe(1);
    }
  });

  it('shares users, tokens and orders: what one process creates, the other sees', async () => {
    const created = await api(0, 'POST', '/api/v1/users', {
      username: 'scale.rad',
      password: 'scale-out-password',
      roles: ['RADIOLOGIST'],
    });
    expect(created.status).toBe(201);
    // Logged in through the other process; its token is accepted by the first (one JWT key).
    const login = await api(1, 'POST', '/api/v1/auth/token', {
      grant_type: 'password',
      username: 'scale.rad',
      password: 'scale-out-password',
    });
    expect(login.status).toBe(200);
    const me = await api(0, 'GET', '/api/v1/me', undefined, `Bearer ${login.json.access_token}`);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ displayName: 'scale.rad' });
    // A refresh token rotated through one process is spent for the other.
    const rotated = await api(0, 'POST', '/api/v1/auth/token', {
      grant_type: 'refresh_token',
      refresh_token: login.json.refresh_token,
    });
    expect(rotated.status).toBe(200);
    const reused = await api(1, 'POST', '/api/v1/auth/token', {
      grant_type: 'refresh_token',
      refresh_token: login.json.refresh_token,
    });
    expect(reused.status).toBe(401);

    // Orders from both processes draw accession numbers from one sequence.
    const orders = await Promise.all(
      [0, 1, 0, 1].map((index) =>
        api(index, 'POST', '/api/v1/orders', {
          patientId: 'SCALE-3',
          patientName: 'Doe^Jane',
          modality: 'CT',
        }),
      ),
    );
    for (const order of orders) expect(order.status).toBe(201);
    expect(new Set(orders.map((order) => order.json.accessionNumber)).size).toBe(4);
    const first = orders[0]!.json as { id: string; accessionNumber: string };
    const seen = await api(1, 'GET', `/api/v1/orders/${first.id}`);
    expect(seen.status).toBe(200);
    expect(seen.json.accessionNumber).toBe(first.accessionNumber);
  });

  it('sends a webhook delivery once although both processes poll the deliveries', async () => {
    const received: string[] = [];
    const hook: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push(JSON.parse(body).data.reportId as string);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const subscribed = await api(0, 'POST', '/api/v1/webhooks', {
        url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
        events: ['report.final'],
      });
      expect(subscribed.status).toBe(201);
      const reportIds: string[] = [];
      for (const index of [0, 1, 0]) {
        const order = await api(index, 'POST', '/api/v1/orders', {
          patientId: 'SCALE-4',
          patientName: 'Roe^Ann',
          modality: 'MR',
        });
        const draft = await api(index, 'POST', '/api/v1/reports', {
          studyInstanceUID: order.json.studyInstanceUID,
          orderId: order.json.id,
          findings: 'No acute finding.',
        });
        expect(draft.status).toBe(201);
        // Signed through the other process: the delivery is stored there, any process may send it.
        const signed = await api(1 - index, 'POST', `/api/v1/reports/${draft.json.id}/sign`, {
          status: 'final',
        });
        expect(signed.status).toBe(200);
        reportIds.push(draft.json.id as string);
      }
      // Both processes poll every 5 s: wait for all three, then two more polling rounds.
      for (let waited = 0; received.length < 3 && waited < 30_000; waited += 250)
        await new Promise((resolve) => setTimeout(resolve, 250));
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      expect(received.sort()).toEqual(reportIds.sort());
    } finally {
      hook.close();
    }
  }, 60_000);

  it('keeps one audit chain that verifies through either process after both wrote', async () => {
    const verified = await Promise.all([0, 1].map((index) => api(index, 'GET', '/api/v1/audit/verify')));
    for (const result of verified) {
      expect(result.status).toBe(200);
      expect(result.json.ok).toBe(true);
    }
    // Both wrote records (each one's requests are audited) into the same chain.
    expect(Number(verified[0]!.json.records)).toBeGreaterThan(10);
    const again = await api(1, 'GET', '/api/v1/audit/verify');
    expect(again.json).toMatchObject({ ok: true });
    expect(Number(again.json.records)).toBeGreaterThanOrEqual(Number(verified[0]!.json.records));
  });
});
