import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryAeTable, type RemoteApplicationEntity } from '../aeTable.js';
import { type DimseServerOptions, createDimseServer } from '../createDimseServer.js';
import type { DimseServices } from '../dimseServices.js';
import { MemoryDimseServices } from './memoryDimseServices.js';
import { freePort } from '../../testing/freePort.js';

/** Re-exported so the tests that already import it from here keep one implementation. */
export { freePort };

/** The workspace root: the nearest directory up from here with pnpm-workspace.yaml (also from a bundle). */
function findRepoRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'pnpm-workspace.yaml')) && dirname(directory) !== directory) {
    directory = dirname(directory);
  }
  return directory;
}

export const repoRoot = findRepoRoot();
export const pydicomTestFiles = join(repoRoot, '.cache/test-data/pydicom/data/test_files');

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a DCMTK tool with TCP_NODELAY=1 (FACTS.md: Nagle costs ~40 ms per exchange). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        env: { ...process.env, TCP_NODELAY: '1' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
        ...options,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface TestServer {
  port: number;
  aeTitle: string;
  services: DimseServices;
  aeTable: MemoryAeTable;
  close(): Promise<void>;
}

export async function startTestServer(
  options: Partial<Omit<DimseServerOptions, 'aeTable'>> & { aeTable?: RemoteApplicationEntity[] } = {},
): Promise<TestServer> {
  const aeTitle = options.aeTitle ?? 'PACSKIT';
  const aeTable = new MemoryAeTable(options.aeTable ?? []);
  const services = options.services ?? new MemoryDimseServices();
  const server = createDimseServer({
    ...options,
    host: '127.0.0.1',
    port: 0,
    aeTitle,
    services,
    aeTable,
  });
  await server.listen();
  return { port: server.address().port, aeTitle, services, aeTable, close: () => server.close() };
}

export async function temporaryDirectory(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'pacskit-dimse-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface CorpusInstance {
  path: string;
  patientID: string;
  patientName: string;
  studyDate: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  modality: string;
}

/**
 * A small corpus from pydicom's CT_small.dcm rewritten with dcmodify: `patients` patients, each
 * with `studies` studies of `series` series of `instances` instances, names "A…"/"B…", dates
 * spread over 2020. UIDs are derived from a UUID root (PS3.5 B.2) so runs never collide.
 */
export async function generateCorpus(
  directory: string,
  shape: { patients: number; studies: number; series: number; instances: number },
): Promise<CorpusInstance[]> {
  const { copyFile } = await import('node:fs/promises');
  const { randomUUID } = await import('node:crypto');
  const root = `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;
  const corpus: CorpusInstance[] = [];
  const jobs: Promise<CommandResult>[] = [];
  for (let p = 1; p <= shape.patients; p += 1) {
    for (let s = 1; s <= shape.studies; s += 1) {
      for (let e = 1; e <= shape.series; e += 1) {
        for (let i = 1; i <= shape.instances; i += 1) {
          const instance: CorpusInstance = {
            path: join(directory, `p${p}s${s}e${e}i${i}.dcm`),
            patientID: `PID${p}`,
            patientName: `${p % 2 === 1 ? 'ALPHA' : 'BETA'}^PATIENT${p}`,
            studyDate: `2020${String(((p + s) % 12) + 1).padStart(2, '0')}15`,
            studyInstanceUID: `${root}.${p}.${s}`,
            seriesInstanceUID: `${root}.${p}.${s}.${e}`,
            sopInstanceUID: `${root}.${p}.${s}.${e}.${i}`,
            modality: e % 2 === 1 ? 'CT' : 'MR',
          };
          corpus.push(instance);
          jobs.push(
            copyFile(join(pydicomTestFiles, 'CT_small.dcm'), instance.path).then(() =>
              run('dcmodify', [
                '-nb',
                '-m',
                `PatientID=${instance.patientID}`,
                '-m',
                `PatientName=${instance.patientName}`,
                '-m',
                `StudyDate=${instance.studyDate}`,
                '-m',
                `StudyInstanceUID=${instance.studyInstanceUID}`,
                '-m',
                `SeriesInstanceUID=${instance.seriesInstanceUID}`,
                '-m',
                `SOPInstanceUID=${instance.sopInstanceUID}`,
                '-m',
                `Modality=${instance.modality}`,
                '-m',
                `AccessionNumber=ACC${p}${s}`,
                instance.path,
              ]),
            ),
          );
          if (jobs.length >= 8) await Promise.all(jobs.splice(0));
        }
      }
    }
  }
  await Promise.all(jobs);
  return corpus;
}

/** findscu with -X: every response identifier, dumped, one string per response. */
export async function findscu(
  port: number,
  aeTitle: string,
  args: readonly string[],
): Promise<{ result: CommandResult; responses: string[] }> {
  const out = await temporaryDirectory();
  try {
    const result = await run('findscu', [
      '-aec',
      aeTitle,
      '-X',
      '-od',
      out.path,
      ...args,
      '127.0.0.1',
      String(port),
    ]);
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(out.path)).filter((name) => name.startsWith('rsp')).sort();
    const responses: string[] = [];
    for (const file of files) responses.push((await run('dcmdump', ['-q', join(out.path, file)])).stdout);
    return { result, responses };
  } finally {
    await out.remove();
  }
}

/**
 * dcmdump without the file meta group, comments and group lengths: DCMTK's storescu re-encodes
 * what it sends (dropping group lengths and PS3.10 trailing padding), so the values, private ones included, are what must match.
 */
export async function dumpDataset(path: string): Promise<string> {
  const { stdout } = await run('dcmdump', ['-q', '+L', '+M', path]);
  return stdout
    .split('\n')
    .filter(
      (line) =>
        !/^\s*\(0002,|^\s*\([0-9a-f]{4},0000\)|^\s*\(fffe,|^\s*\(fffc,fffc\)|^#/.test(line) &&
        line.trim() !== '',
    )
    .map((line) =>
      /\(Sequence with/.test(line) ? line.replace(/\(Sequence with.*/, 'SQ') : line.replace(/#.*/, ''),
    )
    .map((line) => line.trimEnd())
    .join('\n');
}

export interface OrthancPeer {
  aeTitle: string;
  dicomPort: number;
  http: string;
  api(path: string, body?: unknown, method?: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** Orthanc 1.10 in a temp dir (binds every interface: run under loopback.sh), TCP_NODELAY=1. */
export async function startOrthanc(
  modalities: Record<string, [string, string, number]> = {},
): Promise<OrthancPeer> {
  const { spawn } = await import('node:child_process');
  const { writeFile } = await import('node:fs/promises');
  const directory = await temporaryDirectory();
  const dicomPort = await freePort();
  const httpPort = await freePort();
  const config = {
    Name: 'PEER',
    StorageDirectory: join(directory.path, 'storage'),
    IndexDirectory: join(directory.path, 'index'),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomAet: 'ORTHANC',
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomAlwaysAllowEcho: true,
    DicomAlwaysAllowStore: true,
    DicomAlwaysAllowFind: true,
    DicomAlwaysAllowMove: true,
    DicomAlwaysAllowGet: true,
    DicomCheckCalledAet: false,
    DicomModalities: modalities,
    Plugins: [],
  };
  await writeFile(join(directory.path, 'orthanc.json'), JSON.stringify(config));
  const child = spawn('/usr/sbin/Orthanc', [join(directory.path, 'orthanc.json')], {
    env: { ...process.env, TCP_NODELAY: '1' },
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if ((await run('echoscu', ['-aec', 'ORTHANC', '127.0.0.1', String(dicomPort)])).code === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const http = `http://127.0.0.1:${httpPort}`;
  return {
    aeTitle: 'ORTHANC',
    dicomPort,
    http,
    async api(path, body, method) {
      const response = await fetch(`${http}${path}`, {
        method: method ?? (body === undefined ? 'GET' : 'POST'),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`Orthanc ${path}: ${response.status}`);
      return response.json();
    },
    async stop() {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
      await directory.remove();
    },
  };
}
