/**
 * Index scale bench (issue 9): a synthetic index of N instances (default 1,000,000) inserted
 * through the Index port in batches (putInstances, one transaction per batch), into SQLite and into
 * PostgreSQL, then QIDO-like study searches timed at that size. Reports, never asserts.
 *
 *   node --import tsx bench/scale-index.ts                 (both backends, 1,000,000 instances)
 *   PACSKIT_BENCH_INSTANCES=200000 PACSKIT_BENCH_INSERT_SECONDS=300 node --import tsx bench/scale-index.ts
 *
 * PostgreSQL is a throwaway 15 cluster on 127.0.0.1 (as the contract tests; needs root). An insert
 * phase stops early after PACSKIT_BENCH_INSERT_SECONDS (default 900) and the table says how many
 * instances it reached, so the run stays bounded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPostgresOnFreePort } from '../apps/archive-server/src/adapters/contract/startPostgres.ts';
import { PostgresIndex } from '../apps/archive-server/src/adapters/postgres/PostgresIndex.ts';
import { SqliteIndex } from '../apps/archive-server/src/adapters/sqlite/SqliteIndex.ts';
import type { Index, IndexSearch, InstanceRecord } from '../apps/archive-server/src/ports/Index.ts';
import { parseCondition } from '../apps/archive-server/src/services/matching.ts';
import pg from 'pg';

const total = Number(process.env.PACSKIT_BENCH_INSTANCES ?? 1_000_000);
const insertSeconds = Number(process.env.PACSKIT_BENCH_INSERT_SECONDS ?? 900);
const backends = (process.env.PACSKIT_BENCH_BACKENDS ?? 'sqlite,postgres').split(',');
const instancesPerSeries = 5;
const seriesPerStudy = 2;
const perStudy = instancesPerSeries * seriesPerStudy;
const batchSize = 1000;
const patients = Math.max(1, Math.floor(total / perStudy / 2));
const queryRuns = 30;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function studyDate(study: number): string {
  // Ten years of studies, spread evenly.
  const day = new Date(Date.UTC(2015, 0, 1) + (study % 3650) * 86_400_000);
  return day.toISOString().slice(0, 10).replace(/-/g, '');
}

/** The i-th synthetic instance: 10 per study (2 series × 5), 2 studies per patient. */
function record(i: number): InstanceRecord {
  const study = Math.floor(i / perStudy);
  const series = Math.floor(i / instancesPerSeries);
  const patient = study % patients;
  const studyUID = `2.25.1.${study}`;
  const seriesUID = `2.25.2.${series}`;
  const sopUID = `2.25.3.${i}`;
  const sopClassUID = '1.2.840.10008.5.1.4.1.1.2';
  return {
    studyInstanceUID: studyUID,
    seriesInstanceUID: seriesUID,
    sopInstanceUID: sopUID,
    sopClassUID,
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    blobKey: `${pad(study % 100_000_000, 8)}-${pad(i, 12)}`,
    size: 526_000,
    study: {
      '0020000D': { vr: 'UI', Value: [studyUID] },
      '00100020': { vr: 'LO', Value: [`PID${pad(patient, 7)}`] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: `NAME${pad(patient, 7)}^TEST` }] },
      '00080020': { vr: 'DA', Value: [studyDate(study)] },
      '00080050': { vr: 'SH', Value: [`ACC${pad(study, 8)}`] },
      '00081030': { vr: 'LO', Value: ['SYNTHETIC STUDY'] },
    },
    series: {
      '0020000E': { vr: 'UI', Value: [seriesUID] },
      '00080060': { vr: 'CS', Value: [series % 2 === 0 ? 'CT' : 'MR'] },
      '00200011': { vr: 'IS', Value: [series % seriesPerStudy] },
    },
    instance: {
      '00080018': { vr: 'UI', Value: [sopUID] },
      '00080016': { vr: 'UI', Value: [sopClassUID] },
      '00200013': { vr: 'IS', Value: [i % instancesPerSeries] },
    },
    metadata: JSON.stringify({ '00080018': { vr: 'UI', Value: [sopUID] } }),
    pixelData: { offset: 1000, length: 524_288, encapsulated: false, fragments: [], basicOffsetTable: [] },
    bulkData: {},
    deflated: false,
    warnings: [],
    storedAt: '2026-11-22T00:00:00.000Z',
  };
}

interface InsertResult {
  inserted: number;
  seconds: number;
}

async function insertAll(index: Index, concurrency: number): Promise<InsertResult> {
  const started = performance.now();
  const deadline = started + insertSeconds * 1000;
  let next = 0;
  let inserted = 0;
  const worker = async (): Promise<void> => {
    while (next < total && performance.now() < deadline) {
      // Batches are whole studies, so concurrent workers never write the same study.
      const from = next;
      const to = Math.min(total, from + batchSize);
      next = to;
      const batch: InstanceRecord[] = [];
      for (let i = from; i < to; i++) batch.push(record(i));
      const results = await index.putInstances(batch, { replace: false });
      const failed = results.filter((r) => 'error' in r).length;
      if (failed > 0) throw new Error(`${failed} records refused in batch ${from}`);
      inserted += batch.length;
      if (inserted % 100_000 < batchSize) {
        process.stderr.write(`  ${inserted} in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { inserted, seconds: (performance.now() - started) / 1000 };
}

interface QueryTiming {
  name: string;
  p50: number;
  p95: number;
  rows: number;
}

async function timeQueries(index: Index, inserted: number): Promise<QueryTiming[]> {
  const studies = Math.max(1, Math.floor(inserted / perStudy));
  const knownPatients = Math.min(patients, studies);
  const cases: Array<{ name: string; search: (run: number) => IndexSearch }> = [
    {
      name: 'PatientID exact',
      search: (run) => ({
        level: 'study',
        conditions: [parseCondition('00100020', 'LO', `PID${pad((run * 7919) % knownPatients, 7)}`)],
        limit: 100,
      }),
    },
    {
      name: 'PatientName prefix',
      search: (run) => ({
        level: 'study',
        conditions: [
          parseCondition('00100010', 'PN', `name${pad((run * 7919) % knownPatients, 7).slice(0, 5)}*`),
        ],
        limit: 100,
      }),
    },
    {
      name: 'StudyDate range (1 month)',
      search: (run) => {
        const from = studyDate((run * 97) % Math.min(studies, 3650));
        const month = Number(from.slice(4, 6));
        const to = `${from.slice(0, 4)}${pad(month, 2)}31`;
        return {
          level: 'study',
          conditions: [parseCondition('00080020', 'DA', `${from}-${to}`)],
          limit: 100,
        };
      },
    },
    {
      name: 'all studies, limit=100',
      search: (run) => ({ level: 'study', conditions: [], limit: 100, offset: (run * 1000) % studies }),
    },
  ];
  const timings: QueryTiming[] = [];
  for (const { name, search } of cases) {
    const samples: number[] = [];
    let rows = 0;
    await index.search(search(queryRuns)); // warm-up
    for (let run = 0; run < queryRuns; run++) {
      const started = performance.now();
      rows = (await index.search(search(run))).length;
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    timings.push({
      name,
      p50: samples[Math.floor(samples.length / 2)] ?? 0,
      p95: samples[Math.floor(samples.length * 0.95)] ?? 0,
      rows,
    });
  }
  return timings;
}

interface BackendResult {
  backend: string;
  insert: InsertResult;
  queries: QueryTiming[];
}

async function runSqlite(): Promise<BackendResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pacskit-scale-'));
  const index = new SqliteIndex(join(dir, 'index.sqlite'));
  try {
    process.stderr.write('SQLite: inserting\n');
    const insert = await insertAll(index, 1);
    return { backend: 'SQLite', insert, queries: await timeQueries(index, insert.inserted) };
  } finally {
    await index.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runPostgres(): Promise<BackendResult> {
  const server = await startPostgresOnFreePort();
  try {
    const index = await PostgresIndex.open({ connectionString: server.url, maxConnections: 4 });
    try {
      process.stderr.write('PostgreSQL: inserting\n');
      const insert = await insertAll(index, 3);
      // What autovacuum would do after a bulk load, so the planner knows the table sizes.
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query('ANALYZE');
      const plans: string[] = [];
      for (const sql of [
        "SELECT pk FROM studies st WHERE lower(st.patient_name) LIKE lower('name00012%') ORDER BY st.pk LIMIT 100",
        "SELECT pk FROM studies st WHERE st.study_date >= '20150101' AND st.study_date <= '20150131' ORDER BY st.pk LIMIT 100",
      ]) {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`);
        plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
      }
      await client.end();
      process.stderr.write(`${plans.join('\n\n')}\n`);
      return { backend: 'PostgreSQL 15', insert, queries: await timeQueries(index, insert.inserted) };
    } finally {
      await index.close();
    }
  } finally {
    server.stop();
  }
}

const results: BackendResult[] = [];
for (const backend of backends) {
  if (backend === 'sqlite') results.push(await runSqlite());
  else if (backend === 'postgres') results.push(await runPostgres());
}

const lines = [
  `Index scale bench, ${new Date().toISOString()}, target ${total} instances (${perStudy}/study), batches of ${batchSize}`,
  '',
  '| backend | instances | insert s | inst/s | query | p50 ms | p95 ms | rows |',
  '|---|---:|---:|---:|---|---:|---:|---:|',
];
for (const { backend, insert, queries } of results) {
  for (const q of queries) {
    lines.push(
      `| ${backend} | ${insert.inserted} | ${insert.seconds.toFixed(0)} | ${(insert.inserted / insert.seconds).toFixed(0)} | ${q.name} | ${q.p50.toFixed(2)} | ${q.p95.toFixed(2)} | ${q.rows} |`,
    );
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
