/**
 * Query latency at scale (issue 9), Orthanc 1.10 and PacsKit side by side on the same data: N
 * small generated instances (default 100,000; `PACSKIT_BENCH_INSTANCES=1000000` for the issue's
 * million, which takes ~30 minutes per server here) stored into both through STOW-RS, then QIDO-RS
 * and C-FIND (findscu, study level) for an exact PatientID, a `A*` PatientName wildcard and a
 * one-month StudyDate range; medians over the runs, ratios > 1 when PacsKit is faster. Embedded
 * mode by default, `PACSKIT_BENCH_MODE=postgres` for Orthanc's PostgreSQL index plugin vs PacsKit's
 * `--database postgres://`. Reports, never asserts.
 *
 *   cd bench && bash ../scripts/loopback.sh node --import tsx scale-query.ts
 */
import { performance } from 'node:perf_hooks';
import { generateInstance } from '@pacskit/archive-server/testing';
import {
  benchMode,
  pacskitArgsFor,
  startBenchPostgres,
  startOrthancIn,
  findscuLatency,
  startPacsKitProcess,
  stowFiles,
} from './servers.ts';

const total = Number(process.env.PACSKIT_BENCH_INSTANCES ?? 100_000);
const mode = benchMode();
const perStudy = 10; // 2 series × 5 instances
const perRequest = 50;
const clients = 4;
const runs = 15;
const studies = Math.ceil(total / perStudy);
const patients = Math.max(1, Math.floor(studies / 2));

interface Server {
  name: string;
  dicomWebUrl: string;
  headers: Record<string, string>;
  aeTitle: string;
  dicomPort: number;
}

/** Patient names: one in 26 starts with A, so `A*` matches a small share, as a real name search. */
function patientName(patient: number): string {
  return `${String.fromCharCode(65 + (patient % 26))}NAME^${patient}`;
}

function studyDate(study: number): string {
  const day = new Date(Date.UTC(2015, 0, 1) + (study % 3650) * 86_400_000);
  return day.toISOString().slice(0, 10).replaceAll('-', '');
}

/** The instances of study `s`, with UIDs derived from its number (the same data for both servers). */
function studyInstances(s: number): Buffer[] {
  const patient = s % patients;
  const files: Buffer[] = [];
  for (let i = 0; i < perStudy && s * perStudy + i < total; i++) {
    files.push(
      generateInstance({
        studyInstanceUID: `2.25.41.${s}`,
        seriesInstanceUID: `2.25.42.${s}.${i % 2}`,
        sopInstanceUID: `2.25.43.${s}.${i}`,
        patientID: `PID${patient}`,
        patientName: patientName(patient),
        studyDate: studyDate(s),
        modality: i % 2 === 0 ? 'CT' : 'MR',
        seriesNumber: (i % 2) + 1,
        instanceNumber: i + 1,
        rows: 8,
        columns: 8,
      }),
    );
  }
  return files;
}

async function ingest(server: Server): Promise<number> {
  let nextStudy = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const first = nextStudy;
      nextStudy += perRequest / perStudy;
      if (first >= studies) return;
      const files: Buffer[] = [];
      for (let s = first; s < Math.min(studies, first + perRequest / perStudy); s++)
        files.push(...studyInstances(s));
      await stowFiles(server, files);
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  return total / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Median QIDO latency over `runs` queries made by `query(run)`, and the matches of the last. */
async function qido(
  server: Server,
  query: (run: number) => string,
): Promise<{ ms: number; matches: number }> {
  const times: number[] = [];
  let matches = 0;
  for (let run = -1; run < runs; run++) {
    const started = performance.now();
    const response = await fetch(`${server.dicomWebUrl}/studies?${query(Math.max(run, 0))}`, {
      headers: { ...server.headers, accept: 'application/dicom+json' },
    });
    const body = response.status === 204 ? [] : ((await response.json()) as unknown[]);
    if (run >= 0) times.push(performance.now() - started);
    matches = body.length;
  }
  return { ms: median(times), matches };
}

async function measure(server: Server) {
  const stowPerSecond = await ingest(server);
  const month = (run: number) => {
    const from = studyDate(run * 97);
    return `${from}-${from.slice(0, 6)}28`;
  };
  return {
    stowPerSecond,
    qidoExact: await qido(server, (run) => `PatientID=PID${(run * 7919) % patients}&limit=100`),
    qidoWildcard: await qido(server, () => 'PatientName=A*&limit=100'),
    qidoRange: await qido(server, (run) => `StudyDate=${month(run)}&limit=100`),
    findExact: await findscuLatency(
      { aeTitle: server.aeTitle, port: server.dicomPort },
      (run) => [`PatientID=PID${(run * 7919) % patients}`],
      runs,
    ),
    findRange: await findscuLatency(
      { aeTitle: server.aeTitle, port: server.dicomPort },
      (run) => [`StudyDate=${month(run)}`],
      runs,
    ),
  };
}

async function main(): Promise<void> {
  const postgres = mode === 'postgres' ? await startBenchPostgres() : undefined;
  const orthanc = await startOrthancIn(mode, postgres);
  const pacskit = await startPacsKitProcess(pacskitArgsFor(mode, postgres));
  try {
    console.log(`Mode: ${mode}; ${total} instances in ${studies} studies of ${patients} patients.`);
    console.log('Storing into Orthanc…');
    const theirs = await measure({
      name: 'Orthanc',
      dicomWebUrl: orthanc.dicomWebUrl,
      headers: {},
      aeTitle: orthanc.aet,
      dicomPort: orthanc.dicomPort,
    });
    console.log('Storing into PacsKit…');
    const ours = await measure({ name: 'PacsKit', ...pacskit });
    console.log('\n| measure (median) | Orthanc 1.10 | PacsKit | ratio (PacsKit better when > 1) |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(
      `| STOW-RS while filling (instances/s) | ${theirs.stowPerSecond.toFixed(0)} | ${ours.stowPerSecond.toFixed(0)} | ${(ours.stowPerSecond / theirs.stowPerSecond).toFixed(2)} |`,
    );
    for (const [label, key] of [
      ['QIDO PatientID= (ms)', 'qidoExact'],
      ['QIDO PatientName=A*, limit=100 (ms)', 'qidoWildcard'],
      ['QIDO StudyDate one month, limit=100 (ms)', 'qidoRange'],
      ['C-FIND PatientID= (ms, incl. findscu start)', 'findExact'],
      ['C-FIND StudyDate one month (ms, incl. findscu start)', 'findRange'],
    ] as const) {
      const a = theirs[key];
      const b = ours[key];
      console.log(
        `| ${label} [${a.matches}/${b.matches} matches] | ${a.ms.toFixed(2)} | ${b.ms.toFixed(2)} | ${(a.ms / b.ms).toFixed(2)} |`,
      );
    }
  } finally {
    await pacskit.stop();
    await orthanc.stop();
    postgres?.stop();
  }
}

await main();
