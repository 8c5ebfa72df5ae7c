/**
 * DIMSE benchmark: PacsKit's archive vs Orthanc 1.10 on the same machine, same corpus, same tools.
 *
 * - C-STORE: storescu of a generated 2,000-instance corpus (CT_small rewritten per instance) over one
 *   association, then split over four parallel associations; each run starts on an empty archive.
 * - C-FIND: median latency of findscu (study level) for an exact PatientID, a `A*` PatientName
 *   wildcard and a StudyDate range, over the 2,000 instances. Each findscu run starts a process
 *   and an association (tens of ms on a loaded machine, on both sides alike), so the same three
 *   queries are also timed over one persistent association (RawAssociation, the same minimal
 *   client for both servers): that is the servers' own query latency.
 * Printed as instances/s and milliseconds, with PacsKit/Orthanc ratios (>1 = PacsKit better).
 *
 * Run (Orthanc and storescu bind every interface, hence the loopback namespace):
 *   cd bench && bash ../scripts/loopback.sh node --conditions=@pacskit/source --import tsx dimse.ts
 * With `PACSKIT_BENCH_MODE=postgres`, Orthanc uses its PostgreSQL index plugin and PacsKit
 * `--database` on the same throwaway PostgreSQL 15 (each server started gets a fresh database).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { performance } from 'node:perf_hooks';
import { createArchive } from '../apps/archive-server/src/main.js';
import { MemoryAeTable } from '../apps/archive-server/src/dimse/aeTable.js';
import { archiveDimseServices } from '../apps/archive-server/src/dimse/archiveDimseServices.js';
import { createDimseServer } from '../apps/archive-server/src/dimse/createDimseServer.js';
import {
  type CorpusInstance,
  freePort,
  generateCorpus,
  run,
  temporaryDirectory,
} from '../apps/archive-server/src/dimse/test/harness.js';
import { RawAssociation } from '../apps/archive-server/src/dimse/test/rawAssociation.js';
import type { ThrowawayPostgres } from '../apps/archive-server/src/adapters/contract/startPostgres.ts';
import {
  benchMode,
  findscuLatency,
  orthancPostgresSettings,
  pacskitDatabaseFor,
  startBenchPostgres,
} from './servers.ts';

const mode = benchMode();
/** The bench cluster in the PostgreSQL mode (started in main). */
let postgres: ThrowawayPostgres | undefined;

interface Target {
  name: string;
  aeTitle: string;
  port: number;
  stop(): Promise<void>;
}

async function waitForEcho(aeTitle: string, port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if ((await run('echoscu', ['-aec', aeTitle, '127.0.0.1', String(port)])).code === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${aeTitle} did not answer C-ECHO`);
}

async function startOrthanc(): Promise<Target> {
  const directory = await temporaryDirectory();
  const port = await freePort();
  const inPostgres = postgres ? orthancPostgresSettings(postgres) : undefined;
  const config = {
    Name: 'BENCH',
    StorageDirectory: join(directory.path, 'storage'),
    IndexDirectory: join(directory.path, 'index'),
    HttpPort: await freePort(),
    DicomPort: port,
    DicomAet: 'ORTHANC',
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomAlwaysAllowEcho: true,
    DicomAlwaysAllowStore: true,
    DicomAlwaysAllowFind: true,
    DicomCheckCalledAet: false,
    Plugins: inPostgres?.plugins ?? [],
    ...inPostgres?.config,
  };
  await writeFile(join(directory.path, 'orthanc.json'), JSON.stringify(config));
  const orthanc: ChildProcess = spawn('/usr/sbin/Orthanc', [join(directory.path, 'orthanc.json')], {
    env: { ...process.env, TCP_NODELAY: '1' },
    stdio: 'ignore',
  });
  await waitForEcho('ORTHANC', port);
  return {
    name: 'Orthanc 1.10',
    aeTitle: 'ORTHANC',
    port,
    async stop() {
      orthanc.kill();
      await new Promise((resolve) => orthanc.once('exit', resolve));
      await directory.remove();
    },
  };
}

async function startPacsKit(): Promise<Target> {
  const directory = await temporaryDirectory();
  const archive = await createArchive({
    dataDir: directory.path,
    logLevel: 'silent',
    adminPassword: 'bench-password',
    ...(postgres ? { database: pacskitDatabaseFor(postgres) } : {}),
  });
  const dimse = createDimseServer({
    host: '127.0.0.1',
    port: 0,
    aeTitle: 'PACSKIT',
    services: archiveDimseServices(archive.services),
    aeTable: new MemoryAeTable(),
  });
  await dimse.listen();
  return {
    name: 'PacsKit',
    aeTitle: 'PACSKIT',
    port: dimse.address().port,
    async stop() {
      await dimse.close();
      await archive.close();
      await directory.remove();
    },
  };
}

async function storeAll(target: Target, corpus: CorpusInstance[], associations: number): Promise<number> {
  const slices = Array.from({ length: associations }, (_, index) =>
    corpus
      .filter((_instance, position) => position % associations === index)
      .map((instance) => instance.path),
  );
  const started = performance.now();
  const results = await Promise.all(
    slices.map((paths) =>
      run('storescu', ['-aec', target.aeTitle, '127.0.0.1', String(target.port), ...paths]),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const result of results)
    if (result.code !== 0) throw new Error(`${target.name}: ${result.stderr.slice(-500)}`);
  return corpus.length / seconds;
}

const studyRootFind = '1.2.840.10008.5.1.4.1.2.2.1';

const queries: Record<'exact' | 'wildcard' | 'range', { findscu: string[]; identifier: DicomJsonDataset }> = {
  exact: { findscu: ['PatientID=PID7'], identifier: { '00100020': { vr: 'LO', Value: ['PID7'] } } },
  wildcard: {
    findscu: ['PatientName=A*'],
    identifier: { '00100010': { vr: 'PN', Value: [{ Alphabetic: 'A*' }] } },
  },
  range: {
    findscu: ['StudyDate=20200301-20200531'],
    identifier: { '00080020': { vr: 'DA', Value: ['20200301-20200531'] } },
  },
};

/** Median C-FIND latency over one association opened beforehand (no process start, no negotiation). */
async function persistentFindLatency(
  target: Target,
  identifier: DicomJsonDataset,
  repetitions = 100,
): Promise<{ ms: number; matches: number }> {
  const association = await RawAssociation.open({
    port: target.port,
    calledAE: target.aeTitle,
    abstractSyntaxes: [studyRootFind],
  });
  const times: number[] = [];
  let matches = 0;
  try {
    for (let repetition = 0; repetition < repetitions; repetition += 1) {
      const started = performance.now();
      const result = await association.find(studyRootFind, {
        '00080052': { vr: 'CS', Value: ['STUDY'] },
        '0020000D': { vr: 'UI' },
        ...identifier,
      });
      times.push(performance.now() - started);
      if (result.status !== 0) throw new Error(`${target.name}: C-FIND status ${result.status.toString(16)}`);
      matches = result.identifiers.length;
    }
  } finally {
    await association.release();
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, matches };
}

async function main(): Promise<void> {
  if (mode === 'postgres') postgres = await startBenchPostgres();
  process.stdout.write(`mode: ${mode}\n`);
  const corpusDirectory = await temporaryDirectory();
  await mkdir(corpusDirectory.path, { recursive: true });
  process.stdout.write('generating 2,000 instances… ');
  const corpus = await generateCorpus(corpusDirectory.path, {
    patients: 20,
    studies: 5,
    series: 4,
    instances: 5,
  });
  process.stdout.write(`${corpus.length}\n`);
  const rows: { metric: string; pacskit: number; orthanc: number; higherIsBetter: boolean; unit: string }[] =
    [];
  const measure = async (start: () => Promise<Target>) => {
    const single = await start();
    const oneAssociation = await storeAll(single, corpus, 1);
    const find = {
      exact: await findscuLatency(single, () => queries.exact.findscu),
      wildcard: await findscuLatency(single, () => queries.wildcard.findscu),
      range: await findscuLatency(single, () => queries.range.findscu),
    };
    const persistent = {
      exact: await persistentFindLatency(single, queries.exact.identifier),
      wildcard: await persistentFindLatency(single, queries.wildcard.identifier),
      range: await persistentFindLatency(single, queries.range.identifier),
    };
    await single.stop();
    const parallel = await start();
    const fourAssociations = await storeAll(parallel, corpus, 4);
    await parallel.stop();
    return { oneAssociation, fourAssociations, find, persistent };
  };
  const orthanc = await measure(startOrthanc);
  const pacskit = await measure(startPacsKit);
  rows.push(
    {
      metric: 'C-STORE, 1 association',
      pacskit: pacskit.oneAssociation,
      orthanc: orthanc.oneAssociation,
      higherIsBetter: true,
      unit: 'inst/s',
    },
    {
      metric: 'C-STORE, 4 associations',
      pacskit: pacskit.fourAssociations,
      orthanc: orthanc.fourAssociations,
      higherIsBetter: true,
      unit: 'inst/s',
    },
    {
      metric: `C-FIND PatientID= (${pacskit.find.exact.matches}/${orthanc.find.exact.matches} studies)`,
      pacskit: pacskit.find.exact.ms,
      orthanc: orthanc.find.exact.ms,
      higherIsBetter: false,
      unit: 'ms',
    },
    {
      metric: `C-FIND PatientName=A* (${pacskit.find.wildcard.matches}/${orthanc.find.wildcard.matches})`,
      pacskit: pacskit.find.wildcard.ms,
      orthanc: orthanc.find.wildcard.ms,
      higherIsBetter: false,
      unit: 'ms',
    },
    {
      metric: `C-FIND StudyDate range (${pacskit.find.range.matches}/${orthanc.find.range.matches})`,
      pacskit: pacskit.find.range.ms,
      orthanc: orthanc.find.range.ms,
      higherIsBetter: false,
      unit: 'ms',
    },
  );
  for (const [key, label] of [
    ['exact', 'PatientID='],
    ['wildcard', 'PatientName=A*'],
    ['range', 'StudyDate range'],
  ] as const) {
    rows.push({
      metric: `C-FIND ${label}, one association (${pacskit.persistent[key].matches}/${orthanc.persistent[key].matches})`,
      pacskit: pacskit.persistent[key].ms,
      orthanc: orthanc.persistent[key].ms,
      higherIsBetter: false,
      unit: 'ms',
    });
  }
  process.stdout.write(`\n${'metric'.padEnd(52)}  PacsKit    Orthanc         ratio (>1 = PacsKit better)\n`);
  for (const row of rows) {
    const ratio = row.higherIsBetter ? row.pacskit / row.orthanc : row.orthanc / row.pacskit;
    process.stdout.write(
      `${row.metric.padEnd(52)} ${row.pacskit.toFixed(2).padStart(8)} ${row.orthanc.toFixed(2).padStart(10)} ${row.unit.padEnd(7)} ×${ratio.toFixed(2)}\n`,
    );
  }
  process.stdout.write(
    '(findscu C-FIND times include starting findscu and negotiating, on both sides; "one association"\n' +
      ' times are 100 C-FINDs over one association opened beforehand, same client for both)\n',
  );
  await corpusDirectory.remove();
  postgres?.stop();
}

await main();
