/**
 * Migration throughput (issue 9): an embedded archive (SQLite + files) filled through the ingest
 * service, copied into PostgreSQL + S3 (s3rver) by `migrateInstances`, the library behind
 * `pacskit-archive migrate`; then a second run, which only verifies. Reports, never asserts.
 *
 *   cd bench && bash ../scripts/loopback.sh node --import tsx migrate.ts
 *   PACSKIT_BENCH_INSTANCES=2000 PACSKIT_BENCH_ROWS=512 PACSKIT_BENCH_CONCURRENCY=8 …
 *
 * PostgreSQL is a throwaway 15 cluster and s3rver runs in this process, both on 127.0.0.1 (needs
 * root, as the contract tests).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { startPostgresOnFreePort } from '../apps/archive-server/src/adapters/contract/startPostgres.ts';
import { FsBlobStore } from '../apps/archive-server/src/adapters/fs/FsBlobStore.ts';
import { PostgresIndex } from '../apps/archive-server/src/adapters/postgres/PostgresIndex.ts';
import { S3BlobStore } from '../apps/archive-server/src/adapters/s3/S3BlobStore.ts';
import { SqliteIndex } from '../apps/archive-server/src/adapters/sqlite/SqliteIndex.ts';
import { migrateInstances } from '../apps/archive-server/src/migrate/migrateInstances.ts';
import { IngestService } from '../apps/archive-server/src/services/IngestService.ts';
import { freePort } from '../apps/archive-server/src/testing/freePort.ts';
import { generateInstance, newUid } from '../apps/archive-server/src/testing/generateInstance.ts';

const total = Number(process.env.PACSKIT_BENCH_INSTANCES ?? 2000);
const rows = Number(process.env.PACSKIT_BENCH_ROWS ?? 256);
const concurrency = Number(process.env.PACSKIT_BENCH_CONCURRENCY ?? 8);
const perSeries = 50;

const dir = mkdtempSync(join(tmpdir(), 'pacskit-bench-migrate-'));
const postgres = await startPostgresOnFreePort();
// s3rver in a process of its own, as an object store would be: in this one it would share the
// event loop with the migration it serves.
const s3 = await startS3rverProcess();
try {
  const source = {
    index: new SqliteIndex(join(dir, 'index.sqlite')),
    blobs: new FsBlobStore(join(dir, 'blobs')),
  };
  const ingest = new IngestService({
    index: source.index,
    blobStore: source.blobs,
    stagingDir: join(dir, 'tmp'),
    duplicatePolicy: 'reject',
  });
  let studyInstanceUID = newUid();
  let seriesInstanceUID = newUid();
  for (let i = 0; i < total; i++) {
    if (i % perSeries === 0) {
      if (i % (perSeries * 2) === 0) studyInstanceUID = newUid();
      seriesInstanceUID = newUid();
    }
    const file = generateInstance({
      studyInstanceUID,
      seriesInstanceUID,
      sopInstanceUID: newUid(),
      patientID: `BENCH-${Math.floor(i / (perSeries * 2))}`,
      instanceNumber: (i % perSeries) + 1,
      rows,
      columns: rows,
    });
    await ingest.storeInstance({ stream: Readable.from([file]), source: { protocol: 'STOW-RS' } });
  }
  const target = {
    index: await PostgresIndex.open({ connectionString: postgres.createDatabase('bench_migrate') }),
    blobs: new S3BlobStore({
      bucket: s3.bucket,
      client: {
        endpoint: s3.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: s3.credentials,
      },
    }),
  };
  const run = async (label: string) => {
    const started = performance.now();
    const summary = await migrateInstances({ source, target, concurrency });
    const seconds = (performance.now() - started) / 1000;
    const bytes = summary.bytesCopied;
    console.log(
      `${label}: ${summary.total} instances in ${seconds.toFixed(1)} s = ${(summary.total / seconds).toFixed(0)} instances/s` +
        ` (copied ${summary.copied}, skipped ${summary.skipped}, failed ${summary.failed}; ${(bytes / 1e6).toFixed(0)} MB written, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s)`,
    );
  };
  const size = (await source.index.findInstance(
    (
      await source.index.listInstances({ studyInstanceUID })
    )[0]!.sopInstanceUID,
  ))!.size;
  console.log(
    `${total} instances of ${(size / 1024).toFixed(0)} KiB (${rows}×${rows}, 16-bit), concurrency ${concurrency}`,
  );
  await run('first run (copy + verify)');
  await run('second run (verify only)');
  await target.index.close();
  target.blobs.close();
  await source.index.close();
} finally {
  s3.stop();
  postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}

async function startS3rverProcess() {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'pacskit-bench-s3-'));
  const script = `import S3rver from 's3rver';
    await new S3rver({ address: '127.0.0.1', port: ${port}, directory: ${JSON.stringify(directory)}, silent: true,
      configureBuckets: [{ name: 'bench' }] }).run();
    console.log('ready');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('../apps/archive-server/', import.meta.url),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: 'bench',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    stop() {
      child.kill('SIGKILL');
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
