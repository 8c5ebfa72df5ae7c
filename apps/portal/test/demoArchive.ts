import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const portalDist = join(repoRoot, 'apps/portal/dist');
/** The archive's CLI as built by `pnpm --filter @pacskit/archive-server build`; `--demo` seeds it. */
export const archiveCli = join(repoRoot, 'apps/archive-server/dist/cli.js');

export interface DemoArchiveProcess {
  url: string;
  adminPassword: string;
  /** The password of every demo account (PACSKIT_DEMO_PASSWORD). */
  demoPassword: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Starts the built archive with the demo seed on a free port and a temporary data directory. */
export async function startDemoArchive(): Promise<DemoArchiveProcess> {
  if (!existsSync(join(portalDist, 'index.html'))) {
    throw new Error(`the portal is not built (${portalDist}): run pnpm --filter @pacskit/portal build`);
  }
  if (!existsSync(archiveCli)) {
    throw new Error(`the archive is not built (${archiveCli}): build @pacskit/archive-server`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'pacskit-portal-e2e-'));
  const port = await freePort();
  const dicomPort = await freePort();
  const adminPassword = 'e2e-admin-password';
  const demoPassword = 'e2e-demo-password';
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      archiveCli,
      '--demo',
      '--data-dir',
      dataDir,
      '--http-port',
      String(port),
      '--dicom-port',
      String(dicomPort),
    ],
    {
      env: {
        ...process.env,
        PACSKIT_ADMIN_PASSWORD: adminPassword,
        PACSKIT_DEMO_PASSWORD: demoPassword,
        PACSKIT_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  while (!output.includes('PacsKit demo: open')) {
    const early = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 200, 'running'))]);
    if (early !== 'running') throw new Error(`the demo archive exited (${String(early)}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`the demo archive did not start in time:\n${output}`);
  }
  return {
    url,
    adminPassword,
    demoPassword,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
