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

export async function spawnArchive(dataDir: string, port: number): Promise<ChildProcess> {
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
    ],
    {
      env: { ...process.env, PACSKIT_ADMIN_PASSWORD: password },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`archive exited with ${child.exitCode}`);
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
