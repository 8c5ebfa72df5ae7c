import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/testing/node/index.js';

/**
 * The PacsKit archive server as a separate process (its built CLI; turbo builds it before the
 * SDK's tests: turbo.json `@pacskit/sdk#test`). Spawned, never imported: the SDK may not
 * depend on an app (DESIGN.md).
 */
export interface ArchiveServer {
  baseUrl: string;
  username: string;
  password: string;
  stop(): Promise<void>;
  /** The server's last stderr output (for diagnosing a crash). */
  log(): string;
}

const cli = fileURLToPath(new URL('../../../apps/archive-server/dist/cli.js', import.meta.url));

export async function startArchiveServer(): Promise<ArchiveServer> {
  if (!existsSync(cli)) throw new Error(`build the archive server first (${cli} is missing)`);
  const dataDir = await mkdtemp(join(tmpdir(), 'pacskit-archive-'));
  const httpPort = await freePort();
  const dicomPort = await freePort();
  const password = 'sdk-conformance-password';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      cli,
      '--http-port',
      String(httpPort),
      '--dicom-port',
      String(dicomPort),
      '--data-dir',
      dataDir,
      '--log-level',
      'error',
    ],
    { env: { ...process.env, PACSKIT_ADMIN_PASSWORD: password }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  });
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the archive server exited with ${child.exitCode}`);
    }
    try {
      const response = await fetch(`${baseUrl}/dicom-web/studies?limit=1`, {
        headers: { Authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` },
      });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('the archive server did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { baseUrl, username: 'admin', password, stop, log: () => log };
}
