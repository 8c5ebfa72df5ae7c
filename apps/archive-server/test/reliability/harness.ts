import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import {
  type ThrowawayPostgres,
  startPostgresOnFreePort,
} from '../../src/adapters/contract/startPostgres.js';
import { internals, silenceDcmjsDimseLog } from '../../src/dimse/dcmjsDimse.js';
import type { DimseServices, StoredInstanceRef } from '../../src/dimse/dimseServices.js';
import { openStoreAssociation, sendStoreSubOperation } from '../../src/dimse/storeSubOperation.js';
import { generateInstance, newUid, stowBody } from '../../src/testing/generateInstance.js';
import { auth, multipartParts, password } from '../helpers.js';
import { cliPath, ensureBuilt, freePort, waitForExit } from '../processHelpers.js';

/**
 * Issue 9 reliability tests: archive CLI processes in either storage mode, a PostgreSQL cluster and
 * an S3-protocol server the tests can stop and start again, a DIMSE storer that sends exact bytes,
 * HTTP helpers with timeouts (a hang is a failure, never a stuck suite), and a latency recorder.
 */

export { ensureBuilt, newUid };

const run = promisify(execFile);

// The storer below is a dcmjs-dimse requestor, which logs every PDU to the console otherwise.
silenceDcmjsDimseLog();

/** Every request gives up after this long: an answer must come, and a hang fails the test. */
export const requestTimeoutMs = 20_000;

export interface ArchiveNode {
  child: ChildProcess;
  httpPort: number;
  dicomPort: number;
  dataDir: string;
  /** Extra CLI flags and environment, kept to restart the node the same way. */
  args: readonly string[];
  env: Record<string, string>;
  /** The shell command line that runs the (quoted) CLI command, e.g. in a mount namespace; else `exec` it. */
  wrapper?: (command: string, dataDir: string) => string;
  /** The last few kB the process wrote to stderr (for a failure message). */
  stderr: () => string;
}

/** One shell word. */
export function quote(argument: string): string {
  return `'${argument.replaceAll("'", "'\\''")}'`;
}

/** Starts (or restarts, same ports and data dir) the built CLI; resolves once /healthz answers. */
export async function startNode(
  node: Omit<ArchiveNode, 'child' | 'stderr'> & Partial<ArchiveNode>,
): Promise<ArchiveNode> {
  const argv = [
    cliPath,
    '--data-dir',
    node.dataDir,
    '--http-port',
    String(node.httpPort),
    '--dicom-port',
    String(node.dicomPort),
    '--log-level',
    'error',
    ...node.args,
  ];
  const env = { ...process.env, PACSKIT_ADMIN_PASSWORD: password, ...node.env };
  const command = [process.execPath, ...argv].map(quote).join(' ');
  const child = spawn('sh', ['-c', node.wrapper ? node.wrapper(command, node.dataDir) : `exec ${command}`], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`archive exited with ${child.exitCode}: ${errors}`);
    try {
      const response = await fetch(`http://127.0.0.1:${node.httpPort}/healthz`);
      if (response.ok) return { ...node, child, stderr: () => errors };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`archive did not start: ${errors}`);
    }
    await sleep(50);
  }
}

export async function newNode(
  extra: { args?: readonly string[]; env?: Record<string, string>; dataDir?: string } = {},
  wrapper?: ArchiveNode['wrapper'],
): Promise<ArchiveNode> {
  return startNode({
    httpPort: await freePort(),
    dicomPort: await freePort(),
    dataDir: extra.dataDir ?? mkdtempSync(join(tmpdir(), 'pacskit-reliability-')),
    args: extra.args ?? [],
    env: extra.env ?? {},
    ...(wrapper ? { wrapper } : {}),
  });
}

export async function killNode(node: ArchiveNode, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill(signal);
  await waitForExit(node.child);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * s3rver on a fixed port and directory that can be taken away (every connection cut) and brought
 * back with the same objects: startS3rver's `stop` also deletes the directory.
 */
export class StoppableS3 {
  readonly bucket = 'pacskit';
  readonly credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  readonly directory = mkdtempSync(join(tmpdir(), 'pacskit-s3-'));
  #server: S3rver | undefined;
  constructor(readonly port: number) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new S3rver({
      address: '127.0.0.1',
      port: this.port,
      directory: this.directory,
      silent: true,
      configureBuckets: [{ name: this.bucket }],
    });
    await server.run();
    this.#server = server;
  }

  /** Unavailable at once: the listener closes and open connections are cut. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const closing = server.close();
    (server as unknown as { httpServer: import('node:http').Server }).httpServer.closeAllConnections();
    await closing;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/**
 * `pg_ctl stop -m fast` and start again on the same port and data directory: a planned restart
 * (sessions terminated, a clean checkpoint), unlike ThrowawayPostgres.halt's immediate stop.
 * The data directory is asked from the server, since ThrowawayPostgres keeps it private.
 */
export function postgresRestarter(postgres: ThrowawayPostgres): {
  stop(): Promise<void>;
  start(): Promise<void>;
} {
  const url = new URL(postgres.url);
  const dataDirectory = execFileSync('/usr/lib/postgresql/15/bin/psql', [
    '-h',
    '127.0.0.1',
    '-p',
    url.port,
    '-U',
    'postgres',
    '-Atc',
    'SHOW data_directory',
  ])
    .toString()
    .trim();
  const socketDirectory = join(dataDirectory, '..');
  const pgCtl = async (command: string) => {
    await run('su', ['postgres', '-c', `/usr/lib/postgresql/15/bin/pg_ctl -D ${dataDirectory} ${command}`]);
  };
  return {
    stop: () => pgCtl('-m fast -w stop'),
    start: () =>
      pgCtl(
        `-w -l ${socketDirectory}/log -o "-c listen_addresses=127.0.0.1 -p ${url.port} -k ${socketDirectory} -c max_connections=60" start`,
      ),
  };
}

export interface ScaleOut {
  postgres: ThrowawayPostgres;
  s3: StoppableS3;
  nodes: ArchiveNode[];
  stop(): Promise<void>;
}

/** One throwaway PostgreSQL, one s3rver and `count` archive CLI processes sharing them. */
export async function startScaleOut(count: number): Promise<ScaleOut> {
  ensureBuilt();
  const postgres = await startPostgresOnFreePort();
  const s3 = new StoppableS3(await freePort());
  const nodes: ArchiveNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => killNode(node)));
    for (const node of nodes) rmSync(node.dataDir, { recursive: true, force: true });
    await s3.destroy();
    postgres.stop();
  };
  try {
    await s3.start();
    const database = postgres.createDatabase('reliability');
    const blobStore = `s3://${s3.bucket}?endpoint=${encodeURIComponent(s3.endpoint)}&region=us-east-1&forcePathStyle=true`;
    const extra = {
      args: ['--database', database, '--blob-store', blobStore],
      env: {
        AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      },
    };
    nodes.push(...(await Promise.all(Array.from({ length: count }, () => newNode(extra)))));
  } catch (error) {
    await stop();
    throw error;
  }
  return { postgres, s3, nodes, stop };
}

// ---------------------------------------------------------------------------------------------
// Instances and byte-for-byte checks

export interface SentInstance {
  ref: StoredInstanceRef;
  patientID: string;
  bytes: Buffer;
  /** SHA-256 of the data set (everything after the file meta group), which C-STORE carries as is. */
  sha256: string;
}

export function makeInstance(options: {
  study: string;
  patientID: string;
  rows?: number;
  columns?: number;
}): SentInstance {
  const ref: StoredInstanceRef = {
    studyInstanceUID: options.study,
    seriesInstanceUID: newUid(),
    sopInstanceUID: newUid(),
    sopClassUID: '1.2.840.10008.5.1.4.1.1.7',
    transferSyntaxUID: '1.2.840.10008.1.2.1',
  };
  const bytes = generateInstance({
    studyInstanceUID: ref.studyInstanceUID,
    seriesInstanceUID: ref.seriesInstanceUID,
    sopInstanceUID: ref.sopInstanceUID,
    patientID: options.patientID,
    rows: options.rows ?? 64,
    columns: options.columns ?? 64,
  });
  return { ref, patientID: options.patientID, bytes, sha256: datasetSha256(bytes) };
}

/** The data set of a Part 10 file: after the preamble, DICM and the (explicit VR LE) group 0002. */
export function datasetOf(part10: Buffer): Buffer {
  if (part10.subarray(128, 132).toString('latin1') !== 'DICM') throw new Error('not a Part 10 file');
  let offset = 132;
  while (offset + 8 <= part10.length && part10.readUInt16LE(offset) === 0x0002) {
    const vr = part10.subarray(offset + 4, offset + 6).toString('latin1');
    const long = ['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT'].includes(vr);
    offset += long ? 12 + part10.readUInt32LE(offset + 8) : 8 + part10.readUInt16LE(offset + 6);
  }
  return part10.subarray(offset);
}

export function datasetSha256(part10: Buffer): string {
  return createHash('sha256').update(datasetOf(part10)).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// DIMSE

export type StoreResult =
  | { kind: 'status'; status: number }
  /** The association was closed or aborted under the request (e.g. the process died). */
  | { kind: 'closed' }
  | { kind: 'timeout' };

/**
 * One association to an archive storing instances with C-STORE, the data set sent as generated
 * (dcmjs-dimse's Client would re-encode it): the sub-operation sender, driven as a requestor.
 */
export async function openStorer(
  dicomPort: number,
  callingAE = 'LOADSCU',
): Promise<{ store(instance: SentInstance): Promise<StoreResult>; close(): Promise<void> }> {
  const template = makeInstance({ study: newUid(), patientID: 'TEMPLATE' });
  const association = await openStoreAssociation({
    callingAE,
    destination: { aeTitle: 'PACSKIT', host: '127.0.0.1', port: dicomPort },
    instances: [template.ref],
    signal: AbortSignal.timeout(requestTimeoutMs),
  });
  const { socket } = internals(association.network);
  return {
    async store(instance) {
      if (socket.destroyed) return { kind: 'closed' };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<StoreResult>((resolve) => {
        timer = setTimeout(() => resolve({ kind: 'timeout' }), requestTimeoutMs);
      });
      const status = sendStoreSubOperation({
        network: association.network,
        presentationContextID: association.pickContext(instance.ref),
        instance: instance.ref,
        services: { openInstance: async () => Readable.from([instance.bytes]) } as unknown as DimseServices,
        signal: AbortSignal.timeout(requestTimeoutMs),
      }).then(
        (answer): StoreResult =>
          // 0xA702 is also what the sender reports for a connection lost on our side.
          answer === 0xa702 && socket.destroyed ? { kind: 'closed' } : { kind: 'status', status: answer },
      );
      try {
        return await Promise.race([status, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => association.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface HttpAnswer {
  status: number;
  body: Buffer;
  contentType: string;
}

/** A request that always ends: status 0 for a refused or cut connection, -1 for a timeout. */
export async function http(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<HttpAnswer> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: auth, ...init.headers },
      ...(init.body ? { body: new Uint8Array(init.body) } : {}),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, body, contentType: response.headers.get('content-type') ?? '' };
  } catch (error) {
    return {
      status: (error as Error).name === 'TimeoutError' ? -1 : 0,
      body: Buffer.alloc(0),
      contentType: '',
    };
  }
}

export function stow(port: number, instances: SentInstance[]): Promise<HttpAnswer> {
  const { body, contentType } = stowBody(instances.map((instance) => instance.bytes));
  return http(port, '/dicom-web/studies', {
    method: 'POST',
    headers: { 'content-type': contentType, accept: 'application/dicom+json' },
    body,
  });
}

/** WADO-RS retrieve of one instance as stored; the Part 10 bytes, or the failed answer. */
export async function retrieve(port: number, ref: StoredInstanceRef): Promise<Buffer | HttpAnswer> {
  const answer = await http(
    port,
    `/dicom-web/studies/${ref.studyInstanceUID}/series/${ref.seriesInstanceUID}/instances/${ref.sopInstanceUID}`,
    { headers: { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' } },
  );
  if (answer.status !== 200) return answer;
  const parts = multipartParts(answer.body, answer.contentType);
  if (parts.length !== 1) throw new Error(`expected one part, got ${parts.length}`);
  return parts[0]!.body;
}

/**
 * Every instance retrieved through the given ports in turn, a few at a time: the ones missing or
 * differing from what was sent (SOP Instance UIDs and why).
 */
export async function verifyRetrievable(
  ports: readonly number[],
  instances: readonly SentInstance[],
): Promise<string[]> {
  const problems: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < instances.length) {
        const index = next++;
        const instance = instances[index]!;
        const port = ports[index % ports.length]!;
        const answer = await retrieve(port, instance.ref);
        if (!Buffer.isBuffer(answer)) problems.push(`${instance.ref.sopInstanceUID}: HTTP ${answer.status}`);
        else if (datasetSha256(answer) !== instance.sha256)
          problems.push(`${instance.ref.sopInstanceUID}: data set differs`);
      }
    }),
  );
  return problems;
}

/** The SOP Instance UIDs the index lists for a patient (QIDO-RS, paged). */
export async function indexedInstances(
  port: number,
  patientID: string,
): Promise<Array<{ sop: string; study: string; series: string }>> {
  const found: Array<{ sop: string; study: string; series: string }> = [];
  for (let offset = 0; ; offset += 500) {
    const answer = await http(
      port,
      `/dicom-web/instances?PatientID=${encodeURIComponent(patientID)}&limit=500&offset=${offset}`,
      { headers: { accept: 'application/dicom+json' } },
    );
    if (answer.status === 204) return found;
    if (answer.status !== 200) throw new Error(`QIDO answered ${answer.status}`);
    const page = JSON.parse(answer.body.toString()) as Array<Record<string, { Value?: string[] }>>;
    for (const row of page) {
      found.push({
        sop: row['00080018']?.Value?.[0] ?? '',
        study: row['0020000D']?.Value?.[0] ?? '',
        series: row['0020000E']?.Value?.[0] ?? '',
      });
    }
    if (page.length < 500) return found;
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements

export interface OperationSummary {
  operation: string;
  count: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Latencies and errors per operation; numbers are printed and recorded, never asserted. */
export class Recorder {
  readonly #latencies = new Map<string, number[]>();
  readonly #errors = new Map<string, string[]>();

  ok(operation: string, startedAt: number): void {
    const list = this.#latencies.get(operation) ?? [];
    list.push(performance.now() - startedAt);
    this.#latencies.set(operation, list);
  }

  error(operation: string, why: string): void {
    const list = this.#errors.get(operation) ?? [];
    list.push(why);
    this.#errors.set(operation, list);
  }

  errors(): string[] {
    return [...this.#errors].flatMap(([operation, whys]) => whys.map((why) => `${operation}: ${why}`));
  }

  summary(seconds: number): OperationSummary[] {
    const operations = new Set([...this.#latencies.keys(), ...this.#errors.keys()]);
    return [...operations].sort().map((operation) => {
      const sorted = [...(this.#latencies.get(operation) ?? [])].sort((a, b) => a - b);
      const at = (q: number) =>
        sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      return {
        operation,
        count: sorted.length,
        errors: this.#errors.get(operation)?.length ?? 0,
        perSecond: Math.round((sorted.length / seconds) * 10) / 10,
        p50Ms: Math.round(at(0.5) * 10) / 10,
        p99Ms: Math.round(at(0.99) * 10) / 10,
      };
    });
  }
}

export function formatTable(title: string, rows: readonly OperationSummary[]): string {
  const lines = [
    title,
    `${'operation'.padEnd(22)}${'ok'.padStart(8)}${'errors'.padStart(8)}${'per s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}`,
  ];
  for (const row of rows) {
    lines.push(
      `${row.operation.padEnd(22)}${String(row.count).padStart(8)}${String(row.errors).padStart(8)}${String(row.perSecond).padStart(9)}${String(row.p50Ms).padStart(9)}${String(row.p99Ms).padStart(9)}`,
    );
  }
  return lines.join('\n');
}

export const resultsDir = join(import.meta.dirname, '../../.test-results');
export function ensureResultsDir(): string {
  mkdirSync(resultsDir, { recursive: true });
  return resultsDir;
}
