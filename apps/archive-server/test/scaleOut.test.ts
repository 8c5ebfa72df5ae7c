import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
});
