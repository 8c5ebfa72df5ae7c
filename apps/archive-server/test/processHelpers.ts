import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { password } from './helpers.js';
import { freePort } from '../src/testing/freePort.js';

/** Re-exported so the tests that already import it from here keep one implementation. */
export { freePort };

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
export const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** The built CLI (the kill -9 test must exercise the real binary); built here if absent. */
export function ensureBuilt(): void {
  if (!existsSync(cliPath)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: packageDir });
}

/** Starts the built CLI on a data dir and HTTP port, with extra flags and environment; resolves once healthy. */
export async function spawnArchive(
  dataDir: string,
  port: number,
  extra: { args?: readonly string[]; env?: Record<string, string> } = {},
): Promise<ChildProcess> {
  // DIMSE listens too: give it its own free port so several archives can run side by side.
  const dicomPort = await freePort();
  const child = spawn(
    process.execPath,
    [
      cliPath,
      '--data-dir',
      dataDir,
      '--http-port',
      String(port),
      '--dicom-port',
      String(dicomPort),
      '--log-level',
      'warn',
      ...(extra.args ?? []),
    ],
    {
      env: { ...process.env, PACSKIT_ADMIN_PASSWORD: password, ...extra.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`archive exited with ${child.exitCode}: ${errors}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('archive did not start');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}
