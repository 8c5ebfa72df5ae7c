/**
 * DICOMweb benchmark: the PacsKit archive vs Orthanc 1.10 (+ DICOMweb plugin 1.7) side by side,
 * same machine, same generated corpus (2,000 instances = 100 studies × 2 series × 10 instances,
 * 128×128 16-bit), same client. Prints PacsKit/Orthanc ratios (>1 = PacsKit better) for:
 * STOW-RS instances/s, QIDO study search (exact PatientID; limit=1000), WADO-RS study metadata,
 * WADO-RS study retrieve. Times are medians; nothing here is asserted.
 *
 * Run: `pnpm bench` at the repo root (turbo builds first), or
 *   pnpm --filter @pacskit/archive-server build && pnpm --filter @pacskit/bench bench
 * Both servers run inside scripts/loopback.sh's network namespace (Orthanc binds every interface).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateCorpus, stowBody } from '@pacskit/archive-server/testing';
import { freePort, startOrthanc } from '@pacskit/sdk/testing/node';

interface Target {
  name: string;
  dicomWebUrl: string;
  headers: Record<string, string>;
}

const studies = 100;
const seriesPerStudy = 2;
const instancesPerSeries = 10;
const concurrency = 4;
const password = 'bench-password';
const cliPath = fileURLToPath(new URL('../apps/archive-server/dist/cli.js', import.meta.url));

async function startPacsKit(): Promise<{ target: Target; stop: () => Promise<void> }> {
  if (!existsSync(cliPath)) throw new Error(`build the archive first: ${cliPath} is missing`);
  const dataDir = mkdtempSync(join(tmpdir(), 'pacskit-bench-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [cliPath, '--data-dir', dataDir, '--http-port', String(port), '--log-level', 'warn'],
    { env: { ...process.env, PACSKIT_ADMIN_PASSWORD: password }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // starting
    }
    if (i > 300) throw new Error('PacsKit did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    target: {
      name: 'PacsKit',
      dicomWebUrl: `${base}/dicom-web`,
      headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` },
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function check(response: Response, what: string): Promise<Buffer> {
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${body.subarray(0, 200).toString()}`);
  return body;
}

async function stowAll(target: Target, corpus: ReturnType<typeof generateCorpus>): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < corpus.length) {
      const study = corpus[next++];
      if (!study) return;
      const { body, contentType } = stowBody(study.instances);
      const response = await fetch(`${target.dicomWebUrl}/studies`, {
        method: 'POST',
        headers: { ...target.headers, 'content-type': contentType, accept: 'application/dicom+json' },
        body: new Uint8Array(body),
      });
      await check(response, `${target.name} STOW`);
    }
  };
  const elapsed = await timed(async () => {
    await Promise.all(Array.from({ length: concurrency }, worker));
  });
  const instances = corpus.reduce((n, s) => n + s.instances.length, 0);
  return instances / (elapsed / 1000);
}

async function latency(target: Target, path: string, accept: string, runs: number): Promise<number> {
  const samples: number[] = [];
  // One warm-up request, then the measured ones.
  await check(await fetch(`${target.dicomWebUrl}${path}`, { headers: { ...target.headers, accept } }), path);
  for (let i = 0; i < runs; i++) {
    samples.push(
      await timed(async () => {
        await check(
          await fetch(`${target.dicomWebUrl}${path}`, { headers: { ...target.headers, accept } }),
          path,
        );
      }),
    );
  }
  return median(samples);
}

async function latencyOver(target: Target, paths: string[], accept: string): Promise<number> {
  await check(
    await fetch(`${target.dicomWebUrl}${paths[0]}`, { headers: { ...target.headers, accept } }),
    'warm-up',
  );
  const samples: number[] = [];
  for (const path of paths) {
    samples.push(
      await timed(async () => {
        await check(
          await fetch(`${target.dicomWebUrl}${path}`, { headers: { ...target.headers, accept } }),
          path,
        );
      }),
    );
  }
  return median(samples);
}

interface Results {
  stowPerSecond: number;
  qidoPatientIdMs: number;
  qidoLimitMs: number;
  metadataMs: number;
  retrieveMs: number;
}

async function measure(target: Target, corpus: ReturnType<typeof generateCorpus>): Promise<Results> {
  // Start each server's run with no dirty pages left by the other: an fsync on ext4 also pays
  // for whatever else is waiting in the journal.
  execFileSync('sync');
  const stowPerSecond = await stowAll(target, corpus);
  const sample = corpus.filter((_, i) => i % 3 === 0);
  const json = 'application/dicom+json';
  const qidoPatientIdMs = await latencyOver(
    target,
    sample.map((s) => `/studies?PatientID=${s.patientID}`),
    json,
  );
  const qidoLimitMs = await latency(target, '/studies?limit=1000', json, 20);
  const metadataMs = await latencyOver(
    target,
    sample.map((s) => `/studies/${s.studyInstanceUID}/metadata`),
    json,
  );
  const retrieveMs = await latencyOver(
    target,
    sample.map((s) => `/studies/${s.studyInstanceUID}`),
    'multipart/related; type="application/dicom"; transfer-syntax=*',
  );
  return { stowPerSecond, qidoPatientIdMs, qidoLimitMs, metadataMs, retrieveMs };
}

async function main(): Promise<void> {
  console.log(
    `Generating ${studies * seriesPerStudy * instancesPerSeries} instances over ${studies} studies…`,
  );
  const corpus = generateCorpus({ studies, seriesPerStudy, instancesPerSeries, rows: 128, columns: 128 });
  const orthanc = await startOrthanc();
  const pacskit = await startPacsKit();
  try {
    const orthancTarget: Target = { name: 'Orthanc', dicomWebUrl: orthanc.dicomWebUrl, headers: {} };
    console.log('Measuring Orthanc…');
    const theirs = await measure(orthancTarget, corpus);
    console.log('Measuring PacsKit…');
    const ours = await measure(pacskit.target, corpus);
    const rows: Array<[string, string, string, string]> = [
      [
        'STOW-RS (instances/s, 20 per request, 4 clients)',
        theirs.stowPerSecond.toFixed(0),
        ours.stowPerSecond.toFixed(0),
        (ours.stowPerSecond / theirs.stowPerSecond).toFixed(2),
      ],
      [
        'QIDO studies ?PatientID= (median ms)',
        theirs.qidoPatientIdMs.toFixed(2),
        ours.qidoPatientIdMs.toFixed(2),
        (theirs.qidoPatientIdMs / ours.qidoPatientIdMs).toFixed(2),
      ],
      [
        'QIDO studies ?limit=1000 (median ms)',
        theirs.qidoLimitMs.toFixed(2),
        ours.qidoLimitMs.toFixed(2),
        (theirs.qidoLimitMs / ours.qidoLimitMs).toFixed(2),
      ],
      [
        'WADO-RS study metadata, 20 instances (median ms)',
        theirs.metadataMs.toFixed(2),
        ours.metadataMs.toFixed(2),
        (theirs.metadataMs / ours.metadataMs).toFixed(2),
      ],
      [
        'WADO-RS study retrieve, 20 instances (median ms)',
        theirs.retrieveMs.toFixed(2),
        ours.retrieveMs.toFixed(2),
        (theirs.retrieveMs / ours.retrieveMs).toFixed(2),
      ],
    ];
    console.log('\n| measure | Orthanc 1.10 | PacsKit | ratio (PacsKit better when > 1) |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  } finally {
    await pacskit.stop();
    await orthanc.stop();
  }
}

await main();
