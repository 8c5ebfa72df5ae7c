/**
 * DICOMweb benchmark: the PacsKit archive vs Orthanc 1.10 (+ DICOMweb plugin 1.7) side by side,
 * same machine, same generated corpus (2,000 instances = 100 studies × 2 series × 10 instances,
 * 128×128 16-bit), same client. Prints PacsKit/Orthanc ratios (>1 = PacsKit better) for:
 * STOW-RS instances/s, QIDO study search (exact PatientID; limit=1000), WADO-RS study metadata,
 * WADO-RS study retrieve. Latencies are medians (and p90) of sequential requests, the two servers
 * measured in alternating rounds; nothing here is asserted.
 *
 * Run: `pnpm bench` at the repo root (turbo builds first), or
 *   pnpm --filter @pacskit/archive-server build && pnpm --filter @pacskit/bench bench
 * Both servers run inside scripts/loopback.sh's network namespace (Orthanc binds every interface).
 * `PACSKIT_BENCH_MODE=postgres` compares the scale-out mode: Orthanc with its PostgreSQL index
 * plugin, PacsKit with `--database`, on the same throwaway PostgreSQL 15.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { generateCorpus, stowBody } from '@pacskit/archive-server/testing';
import { Agent, setGlobalDispatcher } from 'undici';
import {
  benchMode,
  pacskitArgsFor,
  startBenchPostgres,
  startOrthancIn,
  startPacsKitProcess,
} from './servers.ts';

interface Target {
  name: string;
  dicomWebUrl: string;
  headers: Record<string, string>;
}

const studies = 100;
const seriesPerStudy = 2;
const instancesPerSeries = 10;
const concurrency = 4;
const mode = benchMode();

async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
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

/** Latency probes: each is a list of requests; a round sends each once, in order. */
interface Probe {
  name: string;
  paths: string[];
  accept: string;
  /**
   * Unmeasured requests first, so both servers are measured as they run in service: PacsKit's
   * request path is optimised by V8's TurboFan only after ~2,500 QIDO requests (0.7 → 0.25 ms here;
   * with --no-opt it stays at 0.5 ms); Orthanc gets the same requests.
   */
  warmUp: number;
}

interface Latency {
  medianMs: number;
  p90Ms: number;
}

const latencyRounds = 10;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
}

async function request(target: Target, path: string, accept: string): Promise<void> {
  await check(await fetch(`${target.dicomWebUrl}${path}`, { headers: { ...target.headers, accept } }), path);
}

/**
 * Sequential request latency, one client (undici fetch, keep-alive) for both servers. After a
 * warm-up, each operation is measured in rounds in which the two servers take turns (who goes
 * first alternates), so a burst of load from elsewhere on the machine falls on both rather than on
 * whichever was measured then.
 */
async function measureLatencies(targets: Target[], probes: Probe[]): Promise<Map<string, Latency>[]> {
  const samples = targets.map(() => new Map<string, number[]>(probes.map((p) => [p.name, []])));
  // One operation at a time, as a client would time it: its warm-up, then its rounds.
  for (const probe of probes) {
    for (const target of targets)
      for (let i = 0; i < probe.warmUp; i++)
        await request(target, probe.paths[i % probe.paths.length] as string, probe.accept);
    for (let round = 0; round < latencyRounds; round++) {
      const order =
        round % 2 === 0 ? targets.map((_, i) => i) : targets.map((_, i) => targets.length - 1 - i);
      for (const t of order) {
        const target = targets[t] as Target;
        const into = samples[t]?.get(probe.name) as number[];
        for (const path of probe.paths) into.push(await timed(() => request(target, path, probe.accept)));
      }
    }
  }
  return samples.map(
    (byProbe) =>
      new Map(
        [...byProbe].map(([name, values]) => {
          const sorted = [...values].sort((a, b) => a - b);
          return [name, { medianMs: quantile(sorted, 0.5), p90Ms: quantile(sorted, 0.9) }];
        }),
      ),
  );
}

async function stow(target: Target, corpus: ReturnType<typeof generateCorpus>): Promise<number> {
  // Start each server's run with no dirty pages left by the other: an fsync on ext4 also pays
  // for whatever else is waiting in the journal.
  execFileSync('sync');
  return stowAll(target, corpus);
}

function probesFor(corpus: ReturnType<typeof generateCorpus>): Probe[] {
  const sample = corpus.filter((_, i) => i % 3 === 0);
  const json = 'application/dicom+json';
  return [
    {
      name: 'qidoPatientId',
      paths: sample.map((s) => `/studies?PatientID=${s.patientID}`),
      accept: json,
      warmUp: 3000,
    },
    {
      name: 'qidoLimit',
      paths: Array.from({ length: 4 }, () => '/studies?limit=1000'),
      accept: json,
      warmUp: 20,
    },
    {
      name: 'metadata',
      paths: sample.map((s) => `/studies/${s.studyInstanceUID}/metadata`),
      accept: json,
      warmUp: 3000,
    },
    {
      name: 'retrieve',
      paths: sample.map((s) => `/studies/${s.studyInstanceUID}`),
      accept: 'multipart/related; type="application/dicom"; transfer-syntax=*',
      warmUp: 200,
    },
  ];
}

async function main(): Promise<void> {
  // One client for both servers, with persistent connections to both. Orthanc's HTTP server answers
  // `Keep-Alive: timeout=1`, and fetch's default keepAliveTimeoutThreshold (1 s) then closed every
  // connection after one response: each Orthanc request paid a new TCP connection (3.9 instead of
  // 1.5 ms for an empty QIDO here), while PacsKit's were reused.
  setGlobalDispatcher(new Agent({ keepAliveTimeoutThreshold: 100 }));
  console.log(
    `Generating ${studies * seriesPerStudy * instancesPerSeries} instances over ${studies} studies…`,
  );
  const corpus = generateCorpus({ studies, seriesPerStudy, instancesPerSeries, rows: 128, columns: 128 });
  const postgres = mode === 'postgres' ? await startBenchPostgres() : undefined;
  const orthanc = await startOrthancIn(mode, postgres);
  const pacskitProcess = await startPacsKitProcess(pacskitArgsFor(mode, postgres));
  const pacskit = {
    target: { name: 'PacsKit', dicomWebUrl: pacskitProcess.dicomWebUrl, headers: pacskitProcess.headers },
  };
  console.log(`Mode: ${mode}.`);
  try {
    const orthancTarget: Target = { name: 'Orthanc', dicomWebUrl: orthanc.dicomWebUrl, headers: {} };
    console.log('STOW-RS into Orthanc…');
    const theirStow = await stow(orthancTarget, corpus);
    console.log('STOW-RS into PacsKit…');
    const ourStow = await stow(pacskit.target, corpus);
    console.log('Query and retrieve latencies, both servers in turn…');
    const [theirs, ours] = (await measureLatencies([orthancTarget, pacskit.target], probesFor(corpus))) as [
      Map<string, Latency>,
      Map<string, Latency>,
    ];
    const latencyRow = (label: string, probe: string): [string, string, string, string] => {
      const a = theirs.get(probe) as Latency;
      const b = ours.get(probe) as Latency;
      return [
        `${label} (median ms; p90)`,
        `${a.medianMs.toFixed(2)}; ${a.p90Ms.toFixed(2)}`,
        `${b.medianMs.toFixed(2)}; ${b.p90Ms.toFixed(2)}`,
        (a.medianMs / b.medianMs).toFixed(2),
      ];
    };
    const rows: Array<[string, string, string, string]> = [
      [
        'STOW-RS (instances/s, 20 per request, 4 clients)',
        theirStow.toFixed(0),
        ourStow.toFixed(0),
        (ourStow / theirStow).toFixed(2),
      ],
      latencyRow('QIDO studies ?PatientID=', 'qidoPatientId'),
      latencyRow('QIDO studies ?limit=1000', 'qidoLimit'),
      latencyRow('WADO-RS study metadata, 20 instances', 'metadata'),
      latencyRow('WADO-RS study retrieve, 20 instances', 'retrieve'),
    ];
    console.log('\n| measure | Orthanc 1.10 | PacsKit | ratio (PacsKit better when > 1) |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  } finally {
    await pacskitProcess.stop();
    await orthanc.stop();
    postgres?.stop();
  }
}

await main();
