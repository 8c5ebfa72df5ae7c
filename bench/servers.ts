/**
 * The servers the benchmarks compare, started the same way for every bench script: the PacsKit
 * archive as its real CLI process (so its memory is its own), Orthanc 1.10 from Debian through the
 * SDK's test helper, and a throwaway PostgreSQL 15 for the scale-out mode (both products get their
 * own database on the same cluster). Everything listens on 127.0.0.1; Orthanc binds every interface,
 * so bench scripts run inside scripts/loopback.sh.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ThrowawayPostgres,
  startPostgresOnFreePort,
} from '../apps/archive-server/src/adapters/contract/startPostgres.ts';
import { stowBody } from '@pacskit/archive-server/testing';
import { type OrthancServer, freePort, startOrthanc } from '@pacskit/sdk/testing/node';

export const benchPassword = 'bench-password';
const cliPath = fileURLToPath(new URL('../apps/archive-server/dist/cli.js', import.meta.url));

export interface PacsKitProcess {
  baseUrl: string;
  dicomWebUrl: string;
  dicomPort: number;
  aeTitle: string;
  headers: Record<string, string>;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `pacskit-archive` on free ports with a fresh data dir; `args` adds flags (e.g. `--database`). */
export async function startPacsKitProcess(args: string[] = []): Promise<PacsKitProcess> {
  if (!existsSync(cliPath)) throw new Error(`build the archive first: ${cliPath} is missing`);
  const dataDir = mkdtempSync(join(tmpdir(), 'pacskit-bench-'));
  const httpPort = await freePort();
  const dicomPort = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      cliPath,
      '--data-dir',
      dataDir,
      '--http-port',
      String(httpPort),
      '--dicom-port',
      String(dicomPort),
      '--log-level',
      'warn',
      ...args,
    ],
    {
      env: { ...process.env, PACSKIT_ADMIN_PASSWORD: benchPassword },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`PacsKit exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // starting
    }
    if (attempt > 600) throw new Error('PacsKit did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    baseUrl,
    dicomWebUrl: `${baseUrl}/dicom-web`,
    dicomPort,
    aeTitle: 'PACSKIT',
    headers: { authorization: `Basic ${Buffer.from(`admin:${benchPassword}`).toString('base64')}` },
    pid: child.pid as number,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type StorageMode = 'embedded' | 'postgres';

/** The mode a bench run compares in: `PACSKIT_BENCH_MODE=postgres`, else embedded. */
export function benchMode(): StorageMode {
  return process.env.PACSKIT_BENCH_MODE === 'postgres' ? 'postgres' : 'embedded';
}

let databases = 0;
/** A fresh database on the bench cluster: every server started gets an empty one. */
function freshDatabase(postgres: ThrowawayPostgres, product: string): string {
  databases += 1;
  return postgres.createDatabase(`${product}_bench_${databases}`);
}

/**
 * Orthanc's PostgreSQL index plugin on a fresh database of the bench cluster (files stay on disk, as
 * PacsKit's blobs do in this mode): the plugins to load and the configuration section.
 */
export function orthancPostgresSettings(postgres: ThrowawayPostgres): {
  plugins: string[];
  config: Record<string, unknown>;
} {
  const url = new URL(freshDatabase(postgres, 'orthanc'));
  return {
    plugins: ['/usr/share/orthanc/plugins/libOrthancPostgreSQLIndex.so'],
    config: {
      PostgreSQL: {
        EnableIndex: true,
        EnableStorage: false,
        Host: url.hostname,
        Port: Number(url.port),
        Database: url.pathname.slice(1),
        Username: 'postgres',
        Password: '',
        Lock: false,
        IndexConnectionsCount: 4,
      },
    },
  };
}

/** Orthanc in the given mode: SQLite (its default) or its PostgreSQL index plugin. */
export async function startOrthancIn(
  mode: StorageMode,
  postgres?: ThrowawayPostgres,
): Promise<OrthancServer> {
  if (mode === 'embedded') return startOrthanc({ aet: 'ORTHANC' });
  if (!postgres) throw new Error('the postgres mode needs a PostgreSQL cluster');
  const { plugins, config } = orthancPostgresSettings(postgres);
  return startOrthanc({ aet: 'ORTHANC', extraPlugins: plugins, config });
}

/** PacsKit's flags for the mode: the index in PostgreSQL, blobs as files (the same split as Orthanc's plugin). */
export function pacskitArgsFor(mode: StorageMode, postgres?: ThrowawayPostgres): string[] {
  if (mode === 'embedded') return [];
  if (!postgres) throw new Error('the postgres mode needs a PostgreSQL cluster');
  return ['--database', pacskitDatabaseFor(postgres)];
}

/** A fresh PacsKit database URL on the bench cluster (for an archive started in-process). */
export function pacskitDatabaseFor(postgres: ThrowawayPostgres): string {
  return freshDatabase(postgres, 'pacskit');
}

export async function startBenchPostgres(): Promise<ThrowawayPostgres> {
  return startPostgresOnFreePort();
}

/** Resident set size now and its peak since the process started (kB → MB), from /proc. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
  return { rssMb: field('VmRSS'), peakMb: field('VmHWM') };
}

/** One STOW-RS request of these Part 10 files; throws with the server's answer unless it is 200. */
export async function stowFiles(
  server: { name: string; dicomWebUrl: string; headers: Record<string, string> },
  files: Buffer[],
): Promise<void> {
  const { body, contentType } = stowBody(files);
  const response = await fetch(`${server.dicomWebUrl}/studies`, {
    method: 'POST',
    headers: { ...server.headers, 'content-type': contentType, accept: 'application/dicom+json' },
    body: new Uint8Array(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${server.name} STOW: HTTP ${response.status} ${text.slice(0, 200)}`);
}

/**
 * Median study-level C-FIND latency of findscu (a process start and an association each, the same
 * for every server) over `runs` runs; `keys(run)` gives each run's matching keys. Also the number of
 * matches of the last run.
 */
export async function findscuLatency(
  server: { aeTitle: string; port: number },
  keys: (run: number) => string[],
  runs = 15,
): Promise<{ ms: number; matches: number }> {
  const times: number[] = [];
  let matches = 0;
  for (let run = 0; run < runs; run++) {
    const args = [
      '-S',
      '-v',
      '-aec',
      server.aeTitle,
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      'StudyInstanceUID',
    ];
    for (const key of keys(run)) args.push('-k', key);
    args.push('127.0.0.1', String(server.port));
    const started = performance.now();
    const stderr = await new Promise<string>((resolve, reject) => {
      execFile(
        'findscu',
        args,
        { env: { ...process.env, TCP_NODELAY: '1' }, maxBuffer: 64 * 1024 * 1024 },
        (error, _stdout, output) => (error ? reject(error) : resolve(output)),
      );
    });
    times.push(performance.now() - started);
    matches = (stderr.match(/Find Response: \d+ \(Pending\)/g) ?? []).length;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? Number.NaN, matches };
}
