import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openStorage, openStores } from '../adapters/openStorage.js';
import type { Index } from '../ports/Index.js';
import {
  type MigrationProgress,
  type MigrationSummary,
  migrateInstances,
  studyInstanceUIDs,
} from './migrateInstances.js';
import { type StoreMigrationSummary, migrateStores, storeRecordKinds } from './migrateStores.js';

export const migrateHelp = `pacskit-archive migrate — copy an embedded archive (SQLite + files) into the scale-out one
(PostgreSQL + S3-compatible object store), verifying every instance

Usage: pacskit-archive migrate --from <data-dir> --database postgres://… --blob-store s3://…

Options:
  --from <data-dir>             PACSKIT_MIGRATE_FROM      the embedded archive's data dir (read only; never modified)
  --database <url>              PACSKIT_DATABASE          target index: postgres://user@host:port/db
  --blob-store <url>            PACSKIT_BLOB_STORE        target blobs: s3://bucket[/prefix]?endpoint=…&region=…&forcePathStyle=true
  --concurrency <n>             PACSKIT_MIGRATE_CONCURRENCY  instances copied at once (default 8)
  --batch-size <n>              PACSKIT_MIGRATE_BATCH_SIZE   instances per index transaction (default 64)
  -h, --help                    this help

Each instance's blob is copied, read back from the target and compared with the source (byte count
and SHA-256); its index record is written and read back and compared on every field queries and
retrieval use. Re-running skips instances already verified in the target and re-copies any whose
blob or record differs, so an interrupted migration continues where it stopped. Then the
accession-number counters (only ever raised), users, API keys, grants, share links, orders (with
history), reports (with versions), templates, annotations, webhooks, worklist, AE table, ingest
statistics and audit trail are copied through their stores and read back; records already there are
skipped, or brought up to the source's later state (status, revocation, new versions). Not copied:
sign-in sessions (users sign in again). Progress goes to
stderr; failures are named by blob key (no patient data). Exit status: 0 when every instance is in
the target and verified, 1 when any failed, 130 when interrupted (SIGINT/SIGTERM), 2 on bad flags.
S3 credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY …).
`;

/** Failures listed one per line; beyond this only their count (a dead target fails every instance). */
const listedFailures = 50;

class UsageError extends Error {}

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer`);
  return n;
}

interface MigrateConfig {
  from: string;
  database: string;
  blobStore: string;
  concurrency: number;
  batchSize: number;
}

function migrateConfig(argv: string[], env: NodeJS.ProcessEnv): MigrateConfig | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      database: { type: 'string' },
      'blob-store': { type: 'string' },
      concurrency: { type: 'string' },
      'batch-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const from = values.from ?? env.PACSKIT_MIGRATE_FROM;
  const database = values.database ?? env.PACSKIT_DATABASE;
  const blobStore = values['blob-store'] ?? env.PACSKIT_BLOB_STORE;
  if (!from) throw new UsageError('--from <data-dir> is required');
  if (!database) throw new UsageError('--database postgres://… is required');
  if (!blobStore) throw new UsageError('--blob-store s3://… is required');
  // Opening a missing data dir would create an empty embedded archive there and "migrate" nothing.
  if (!existsSync(join(from, 'index.sqlite'))) throw new UsageError(`no embedded archive in ${from}`);
  return {
    from: resolve(from),
    database,
    blobStore,
    concurrency: positiveInteger('--concurrency', values.concurrency ?? env.PACSKIT_MIGRATE_CONCURRENCY, 8),
    batchSize: positiveInteger('--batch-size', values['batch-size'] ?? env.PACSKIT_MIGRATE_BATCH_SIZE, 64),
  };
}

function counts(progress: MigrationProgress): string {
  return `copied ${progress.copied}, repaired ${progress.repaired}, skipped ${progress.skipped}, failed ${progress.failed}`;
}

/**
 * `pacskit-archive migrate …`: opens the embedded archive at `--from` and the scale-out target,
 * runs `migrateInstances`, prints progress (stderr) and a summary (stdout). Resolves to the exit
 * status.
 */
export async function runMigrate(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let config: MigrateConfig | 'help';
  try {
    config = migrateConfig(argv, env);
  } catch (error) {
    console.error(`pacskit-archive migrate: ${(error as Error).message}\n\n${migrateHelp}`);
    return 2;
  }
  if (config === 'help') {
    console.log(migrateHelp);
    return 0;
  }
  const source = await openStorage({ dataDir: config.from });
  let target: Awaited<ReturnType<typeof openStorage>>;
  try {
    target = await openStorage({
      dataDir: config.from,
      database: config.database,
      blobStore: config.blobStore,
    });
  } catch (error) {
    await source.close();
    throw error;
  }
  const stop = new AbortController();
  const interrupt = (): void => {
    if (!stop.signal.aborted) console.error('migrate: stopping after the current batch or record …');
    stop.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  const started = performance.now();
  let lastReport = 0;
  let summary: MigrationSummary;
  let stores: StoreMigrationSummary | undefined;
  try {
    summary = await migrateInstances({
      source,
      target,
      concurrency: config.concurrency,
      batchSize: config.batchSize,
      signal: stop.signal,
      onProgress: (progress) => {
        const now = performance.now();
        // The first batch at once (the operator sees it started), then at most once a second.
        if (lastReport !== 0 && now - lastReport < 1000) return;
        lastReport = now;
        const done = progress.copied + progress.repaired + progress.skipped + progress.failed;
        const rate = done / ((now - started) / 1000);
        console.error(
          `migrate: ${done}/${progress.total} (${counts(progress)}), ${rate.toFixed(0)} instances/s`,
        );
      },
    });
    if (!summary.interrupted) stores = await migrateAllStores(config, source.index, stop.signal);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await Promise.all([source.close(), target.close()]);
  }
  const seconds = (performance.now() - started) / 1000;
  const done = summary.copied + summary.repaired + summary.skipped + summary.failed;
  const failures = [
    ...summary.failures.map((f) => `blob ${f.blobKey}: ${f.reason}: ${f.detail}`),
    ...(stores?.failures ?? []).map((f) => `${f.kind} ${f.id}: ${f.reason}: ${f.detail}`),
  ];
  for (const failure of failures.slice(0, listedFailures)) console.error(`migrate: failed: ${failure}`);
  if (failures.length > listedFailures)
    console.error(`migrate: … and ${failures.length - listedFailures} more failures`);
  console.log(
    `Migrated ${done}/${summary.total} instances from ${config.from}: ${counts(summary)}; ` +
      `${(summary.bytesCopied / 1e6).toFixed(1)} MB written in ${seconds.toFixed(1)} s ` +
      `(${(done / seconds).toFixed(0)} instances/s).`,
  );
  if (stores) {
    for (const kind of storeRecordKinds) {
      const c = stores.counts[kind];
      if (c.copied + c.updated + c.skipped + c.failed === 0) continue;
      console.log(
        `  ${kind}: copied ${c.copied}, updated ${c.updated}, skipped ${c.skipped}, failed ${c.failed}`,
      );
    }
  }
  if (summary.interrupted || stores?.interrupted) {
    console.log('Interrupted: run the same command again to continue.');
    return 130;
  }
  if (failures.length > 0) {
    console.log('Some records failed (listed above by blob key or id); fix the cause and run again.');
    return 1;
  }
  return 0;
}

/** The access, workflow, worklist, AE-table and audit stores, once every instance is across. */
async function migrateAllStores(
  config: MigrateConfig,
  sourceIndex: Index,
  signal: AbortSignal,
): Promise<StoreMigrationSummary> {
  const source = await openStores({ dataDir: config.from });
  try {
    const target = await openStores({ dataDir: config.from, database: config.database });
    try {
      return await migrateStores({
        source,
        target,
        studyInstanceUIDs: () => studyInstanceUIDs(sourceIndex),
        signal,
      });
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
