import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThrowawayPostgres, startPostgresOnFreePort } from '../src/adapters/contract/startPostgres.js';
import { type ThrowawayS3, startS3rver } from '../src/adapters/contract/startS3rver.js';
import { PostgresIndex } from '../src/adapters/postgres/PostgresIndex.js';
import { generateInstance, newUid, stowBody } from '../src/testing/generateInstance.js';
import { pydicomTestFile } from '../src/testing/testFiles.js';
import { auth, multipartParts } from './helpers.js';
import { cliPath, ensureBuilt, freePort, spawnArchive, waitForExit } from './processHelpers.js';

// Issue 9: `pacskit-archive migrate` copies an embedded archive into the scale-out one. Real CLI
// processes: the embedded archive filled over STOW-RS, the migration (killed -9 mid-run, then
// resumed), and a scale-out archive on the target, whose QIDO and WADO answers must equal the
// embedded archive's. PostgreSQL 15 and s3rver on 127.0.0.1.
describe('pacskit-archive migrate', () => {
  let postgres: ThrowawayPostgres;
  let s3: ThrowawayS3;
  let database: string;
  let blobStore: string;
  const sourceDir = mkdtempSync(join(tmpdir(), 'pacskit-migrate-embedded-'));
  const targetDir = mkdtempSync(join(tmpdir(), 'pacskit-migrate-scale-out-'));
  const processes: ChildProcess[] = [];
  const studyUIDs: string[] = [];
  let total = 0;
  let multiFrame: { study: string; series: string; sop: string };
  /** The embedded archive, serving until the final migration pass (the documented procedure). */
  let embedded: { child: ChildProcess; port: number };
  const s3Env = (): Record<string, string> => ({
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  });

  /** Runs `pacskit-archive migrate …`; `onStderr` may kill it. */
  function migrate(
    extra: string[] = [],
    onStderr?: (text: string, child: ChildProcess) => void,
  ): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
    const child = spawn(
      process.execPath,
      [cliPath, 'migrate', '--from', sourceDir, '--database', database, '--blob-store', blobStore, ...extra],
      { env: { ...process.env, ...s3Env() }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr, child);
    });
    return new Promise((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
    );
  }

  function counts(stdout: string): Record<'copied' | 'repaired' | 'skipped' | 'failed', number> {
    const match = /copied (\d+), repaired (\d+), skipped (\d+), failed (\d+)/.exec(stdout);
    if (!match) throw new Error(`no summary in ${stdout}`);
    return {
      copied: Number(match[1]),
      repaired: Number(match[2]),
      skipped: Number(match[3]),
      failed: Number(match[4]),
    };
  }

  async function stow(port: number, files: Buffer[]): Promise<void> {
    const { body, contentType } = stowBody(files);
    const response = await fetch(`http://127.0.0.1:${port}/dicom-web/studies`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': contentType },
      body: new Uint8Array(body),
    });
    // 202: stored with warnings (the real files lack attributes the generated ones have).
    expect([200, 202]).toContain(response.status);
  }

  beforeAll(async () => {
    ensureBuilt();
    postgres = await startPostgresOnFreePort();
    s3 = await startS3rver();
    database = postgres.createDatabase('migrated');
    blobStore = `s3://${s3.bucket}/archive?endpoint=${encodeURIComponent(s3.endpoint)}&region=us-east-1&forcePathStyle=true`;

    // The embedded archive: 6 generated studies (one with a 4-frame instance, one with private
    // tags), plus real files: CT_small.dcm (GE private tags) and rtdose.dcm (multi-frame).
    const port = await freePort();
    const runningEmbedded = await spawnArchive(sourceDir, port);
    processes.push(runningEmbedded);
    for (let study = 0; study < 6; study++) {
      const studyInstanceUID = newUid();
      studyUIDs.push(studyInstanceUID);
      const files: Buffer[] = [];
      for (let series = 1; series <= 2; series++) {
        const seriesInstanceUID = newUid();
        for (let instance = 1; instance <= 3; instance++) {
          const sopInstanceUID = newUid();
          const frames = study === 0 && series === 1 && instance === 1 ? 4 : 1;
          if (frames > 1)
            multiFrame = { study: studyInstanceUID, series: seriesInstanceUID, sop: sopInstanceUID };
          files.push(
            generateInstance({
              studyInstanceUID,
              seriesInstanceUID,
              sopInstanceUID,
              patientID: `MIGRATE-${study}`,
              patientName: `Migrate^Patient${study}`,
              modality: series === 1 ? 'CT' : 'MR',
              seriesNumber: series,
              instanceNumber: instance,
              frames,
              extra:
                study === 1
                  ? [
                      ['00091001', 'LO', 'private value'],
                      ['00090010', 'LO', 'PACSKIT TEST'],
                    ]
                  : [],
            }),
          );
        }
      }
      await stow(port, files);
      total += files.length;
    }
    await stow(port, [
      readFileSync(pydicomTestFile('CT_small.dcm')),
      readFileSync(pydicomTestFile('rtdose.dcm')),
    ]);
    total += 2;
    embedded = { child: runningEmbedded, port };
  }, 180_000);

  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await s3?.stop();
    postgres?.stop();
    rmSync(sourceDir, { recursive: true, force: true });
    rmSync(targetDir, { recursive: true, force: true });
  });

  it('documents itself and refuses incomplete flags', async () => {
    const help = await migrate(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--blob-store');
    const missing = await new Promise<number | null>((resolve) =>
      spawn(process.execPath, [cliPath, 'migrate', '--from', sourceDir], { stdio: 'ignore' }).once(
        'close',
        resolve,
      ),
    );
    expect(missing).toBe(2);
  });

  it('copies from a live archive, resumes after being killed -9, then copies nothing', async () => {
    // A first pass while the embedded archive serves, in small batches one at a time: killed
    // right after the first batch reports, most is left.
    const killed = await migrate(['--batch-size', '2', '--concurrency', '1'], (stderr, child) => {
      if (stderr.includes('migrate: ')) child.kill('SIGKILL');
    });
    expect(killed.signal).toBe('SIGKILL');
    const index = await PostgresIndex.open({ connectionString: database, maxConnections: 1 });
    const copiedBeforeKill = await index.countInstances();
    await index.close();
    expect(copiedBeforeKill).toBeGreaterThan(0);
    expect(copiedBeforeKill).toBeLessThan(total);
    // A study arrives between the passes; then the archive stops for the final pass.
    const lateStudy = newUid();
    studyUIDs.push(lateStudy);
    await stow(embedded.port, [
      generateInstance({
        studyInstanceUID: lateStudy,
        seriesInstanceUID: newUid(),
        sopInstanceUID: newUid(),
      }),
    ]);
    total += 1;
    embedded.child.kill('SIGTERM');
    await waitForExit(embedded.child);

    const resumed = await migrate();
    expect(resumed.code).toBe(0);
    const resumedCounts = counts(resumed.stdout);
    expect(resumedCounts.failed).toBe(0);
    expect(resumedCounts.skipped).toBeGreaterThanOrEqual(copiedBeforeKill);
    expect(resumedCounts.copied + resumedCounts.repaired + resumedCounts.skipped).toBe(total);
    // The stores follow the instances: the embedded archive's admin account, and its audit trail.
    expect(resumed.stdout).toMatch(/users: copied 1, updated 0, skipped 0, failed 0/);
    expect(resumed.stdout).toMatch(/auditEvents: copied [1-9]/);

    const again = await migrate();
    expect(again.code).toBe(0);
    expect(counts(again.stdout)).toEqual({ copied: 0, repaired: 0, skipped: total, failed: 0 });
    // No patient data in what the tool prints.
    for (const output of [resumed.stdout, resumed.stderr, again.stdout, again.stderr])
      expect(output).not.toMatch(/MIGRATE-|Migrate\^|private value/);
  }, 120_000);

  it('serves the same QIDO results and byte-identical WADO retrievals from the scale-out target', async () => {
    const sourcePort = await freePort();
    const targetPort = await freePort();
    const [source, target] = await Promise.all([
      spawnArchive(sourceDir, sourcePort),
      spawnArchive(targetDir, targetPort, {
        args: ['--database', database, '--blob-store', blobStore],
        env: s3Env(),
      }),
    ]);
    processes.push(source, target);

    const get = async (port: number, path: string, accept?: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/dicom-web${path}`, {
        headers: { authorization: auth, ...(accept ? { accept } : {}) },
      });
      expect(response.status, path).toBe(200);
      return {
        contentType: response.headers.get('content-type') ?? '',
        body: Buffer.from(await response.arrayBuffer()),
      };
    };
    // Each server names itself in RetrieveURL / BulkDataURI: compare with the origin taken out.
    const json = async (port: number, path: string) =>
      JSON.parse((await get(port, path)).body.toString().replaceAll(`http://127.0.0.1:${port}`, 'ORIGIN'));
    const parts = async (port: number, path: string, accept: string) => {
      const { body, contentType } = await get(port, path, accept);
      return multipartParts(body, contentType).map((part) => part.body);
    };
    const same = async (path: string) => {
      const expected = await json(sourcePort, path);
      expect(await json(targetPort, path), path).toEqual(expected);
      return expected;
    };
    // Study lists come in storage order, which a batch of several studies does not keep (the
    // index locks studies in UID order): compare them as sets.
    type Row = Record<string, { Value?: unknown[] }>;
    const byStudyUID = (rows: Row[]) =>
      rows.toSorted((a, b) =>
        String(a['0020000D']?.Value?.[0]).localeCompare(String(b['0020000D']?.Value?.[0])),
      );
    const sameStudies = async (path: string) => {
      const expected = byStudyUID(await json(sourcePort, path));
      expect(byStudyUID(await json(targetPort, path)), path).toEqual(expected);
      return expected;
    };

    const studies = await sameStudies('/studies?includefield=all');
    expect(studies).toHaveLength(studyUIDs.length + 2);
    expect(await sameStudies('/studies?PatientID=MIGRATE-1')).toHaveLength(1);
    expect(await sameStudies('/studies?ModalitiesInStudy=MR&PatientName=Migrate*')).toHaveLength(6);
    const dicom = 'multipart/related; type="application/dicom"; transfer-syntax=*';
    let instances = 0;
    for (const study of studies) {
      const studyUID = study['0020000D']?.Value?.[0] as string;
      await same(`/studies/${studyUID}/series`);
      await same(`/studies/${studyUID}/metadata`);
      const rows = (await same(`/studies/${studyUID}/instances`)) as Array<
        Record<string, { Value: string[] }>
      >;
      for (const row of rows) {
        const path = `/studies/${studyUID}/series/${row['0020000E']?.Value[0]}/instances/${row['00080018']?.Value[0]}`;
        const expected = await parts(sourcePort, path, dicom);
        expect(expected).toHaveLength(1);
        expect(await parts(targetPort, path, dicom), path).toEqual(expected);
        instances++;
      }
    }
    expect(instances).toBe(total);
    const framesPath = `/studies/${multiFrame.study}/series/${multiFrame.series}/instances/${multiFrame.sop}/frames/1,4`;
    const octets = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';
    const frames = await parts(sourcePort, framesPath, octets);
    expect(frames).toHaveLength(2);
    expect(await parts(targetPort, framesPath, octets)).toEqual(frames);
  }, 120_000);
});
