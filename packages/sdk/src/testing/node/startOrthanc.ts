/// <reference types="node" />
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real Orthanc 1.10 with its DICOMweb plugin for tests (FACTS.md): temp storage, free
 * loopback ports, TCP_NODELAY=1. Orthanc binds every interface, so callers run inside
 * scripts/loopback.sh. Node-only: this file is never imported by the SDK proper.
 */
export interface OrthancServer {
  /** The REST root, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  /** The DICOMweb root (`${baseUrl}/dicom-web`). */
  readonly dicomWebUrl: string;
  readonly httpPort: number;
  readonly dicomPort: number;
  readonly aet: string;
  /** SIGSTOP: the process keeps its sockets but answers nothing (a hanging source). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Kill the process (connections are refused); `start()` brings it back on the same ports and data. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stores Part 10 files through REST `POST /instances`; gives each instance's UIDs. */
  upload(files: readonly Uint8Array[]): Promise<UploadedInstance[]>;
  /** Kills Orthanc and removes its storage. */
  stop(): Promise<void>;
  /** The running process id (benchmarks read its peak RSS from /proc), if it runs. */
  pid(): number | undefined;
}

export interface UploadedInstance {
  /** Orthanc's own id of the instance. */
  id: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  patientID: string;
  modality: string;
}

export interface StartOrthancOptions {
  aet?: string;
  /** Other DICOM nodes Orthanc may query/retrieve from (`DicomModalities`). */
  modalities?: Record<string, { aet: string; host: string; port: number }>;
  /** Fixed ports (default: free ones), e.g. when a peer must know this DICOM port in advance. */
  httpPort?: number;
  dicomPort?: number;
  executable?: string;
  pluginPath?: string;
  /** More plugins to load after the DICOMweb one (e.g. the PostgreSQL index plugin). */
  extraPlugins?: string[];
  /** Top-level configuration sections merged over the defaults (e.g. `{ PostgreSQL: {…} }`). */
  config?: Record<string, unknown>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startOrthanc(options: StartOrthancOptions = {}): Promise<OrthancServer> {
  const directory = await mkdtemp(join(tmpdir(), 'pacskit-orthanc-'));
  const httpPort = options.httpPort ?? (await freePort());
  const dicomPort = options.dicomPort ?? (await freePort());
  const aet = options.aet ?? 'PACSKIT_TEST';
  const modalities = Object.fromEntries(
    Object.entries(options.modalities ?? {}).map(([name, node]) => [name, [node.aet, node.host, node.port]]),
  );
  const config = {
    Name: aet,
    DicomAet: aet,
    StorageDirectory: join(directory, 'storage'),
    IndexDirectory: join(directory, 'index'),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    RemoteAccessAllowed: true,
    AuthenticationEnabled: false,
    Plugins: [
      options.pluginPath ?? '/usr/share/orthanc/plugins/libOrthancDicomWeb.so',
      ...(options.extraPlugins ?? []),
    ],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: true, WadoRoot: '/wado' },
    DicomAlwaysAllowEcho: true,
    DicomAlwaysAllowStore: true,
    DicomAlwaysAllowFind: true,
    DicomAlwaysAllowGet: true,
    DicomAlwaysAllowMove: true,
    DicomCheckCalledAet: false,
    DicomModalities: modalities,
    // Keep tests fast: no deflate, no HTTP keep-alive surprises across SIGSTOP.
    HttpCompressionEnabled: false,
    StableAge: 1,
    ...options.config,
  };
  const configPath = join(directory, 'orthanc.json');
  await writeFile(configPath, JSON.stringify(config));
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  let child: ChildProcess | undefined;
  let log = '';

  const start = async () => {
    const spawned = spawn(options.executable ?? '/usr/sbin/Orthanc', [configPath], {
      env: { ...process.env, TCP_NODELAY: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = spawned;
    // Never leave an Orthanc behind, even when the test process dies before its afterAll.
    const killOnExit = () => spawned.kill('SIGKILL');
    process.once('exit', killOnExit);
    spawned.once('exit', () => process.removeListener('exit', killOnExit));
    spawned.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (spawned.exitCode !== null) throw new Error(`Orthanc exited (${spawned.exitCode}): ${log}`);
      try {
        const response = await fetch(`${baseUrl}/system`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`Orthanc did not start: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGCONT');
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    baseUrl,
    dicomWebUrl: `${baseUrl}/dicom-web`,
    httpPort,
    dicomPort,
    aet,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    kill,
    start,
    pid: () => child?.pid,
    upload: async (files) => {
      const uploaded: UploadedInstance[] = [];
      for (const file of files) {
        const response = await fetch(`${baseUrl}/instances`, { method: 'POST', body: file as BodyInit });
        if (!response.ok) throw new Error(`Orthanc refused an upload: HTTP ${response.status}`);
        const { ID } = (await response.json()) as { ID: string };
        const tags = (await (await fetch(`${baseUrl}/instances/${ID}/simplified-tags`)).json()) as Record<
          string,
          string
        >;
        uploaded.push({
          id: ID,
          studyInstanceUID: tags.StudyInstanceUID ?? '',
          seriesInstanceUID: tags.SeriesInstanceUID ?? '',
          sopInstanceUID: tags.SOPInstanceUID ?? '',
          patientID: tags.PatientID ?? '',
          modality: tags.Modality ?? '',
        });
      }
      return uploaded;
    },
    stop: async () => {
      await kill();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Reads a pydicom test file fetched by scripts/fetch-test-data.sh. */
export async function readTestFile(name: string): Promise<Uint8Array> {
  const url = new URL(`../../../../../.cache/test-data/pydicom/data/test_files/${name}`, import.meta.url);
  return new Uint8Array(await readFile(url));
}
