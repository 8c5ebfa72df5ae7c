import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryAeTable, type RemoteApplicationEntity } from '../aeTable.js';
import { type DimseServerOptions, createDimseServer } from '../createDimseServer.js';
import type { DimseServices } from '../dimseServices.js';
import { MemoryDimseServices } from './memoryDimseServices.js';

export const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
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

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
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
