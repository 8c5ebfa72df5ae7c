/**
 * STOW-RS ingest profile of the PacsKit archive alone: the bench:dicomweb corpus (2,000 instances,
 * 128×128 16-bit, 20 per request, 4 clients), reporting instances/s and the server's CPU time per
 * instance (user + system, from /proc). CPU per instance moves much less than instances/s when
 * other work shares the machine, so it is the number to compare between two versions of the
 * ingest path. `--cpu-prof` also writes a V8 CPU profile of the server into /tmp/prof.
 *
 * Run: pnpm --filter @pacskit/archive-server build && cd bench && node --import tsx profile-stow.ts
 *   [--cpu-prof] [--runs N] [--cli path/to/other/dist/cli.js]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateCorpus, stowBody } from '@pacskit/archive-server/testing';
import { freePort } from '@pacskit/sdk/testing/node';

const { values } = parseArgs({
  options: {
    'cpu-prof': { type: 'boolean', default: false },
    runs: { type: 'string', default: '1' },
    // Another build's cli.js (e.g. a git worktree of an older commit), for A/B comparisons.
    cli: { type: 'string' },
  },
});
const cliPath = values.cli ?? fileURLToPath(new URL('../apps/archive-server/dist/cli.js', import.meta.url));
const password = 'bench-password';
const clients = 4;

const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString());

/** User and system CPU time of a process (all its threads), in milliseconds (Linux /proc). */
function cpuMs(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ms = (field: string | undefined) => (Number(field) * 1000) / clockTicksPerSecond;
  return { user: ms(fields[11]), system: ms(fields[12]) };
}

async function run(bodies: Array<{ body: Buffer; contentType: string }>, instances: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pacskit-profile-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
      cliPath,
      '--data-dir',
      dataDir,
      '--http-port',
      String(port),
      '--log-level',
      'warn',
    ],
    { env: { ...process.env, PACSKIT_ADMIN_PASSWORD: password }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // starting
    }
    if (i > 300) throw new Error('PacsKit did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const headers = { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` };
  execFileSync('sync');
  const cpuBefore = cpuMs(child.pid as number);
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const { body, contentType } = bodies[i] as { body: Buffer; contentType: string };
        const response = await fetch(`${base}/dicom-web/studies`, {
          method: 'POST',
          headers: { ...headers, 'content-type': contentType, accept: 'application/dicom+json' },
          body: new Uint8Array(body),
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`STOW: HTTP ${response.status}`);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = cpuMs(child.pid as number);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
  const perInstance = (ms: number) => ((ms * 1000) / instances).toFixed(0);
  const user = cpuAfter.user - cpuBefore.user;
  const system = cpuAfter.system - cpuBefore.system;
  console.log(
    `${(instances / seconds).toFixed(0)} instances/s; server CPU per instance ${perInstance(user + system)} µs ` +
      `(user ${perInstance(user)}, system ${perInstance(system)})`,
  );
}

const corpus = generateCorpus({
  studies: 100,
  seriesPerStudy: 2,
  instancesPerSeries: 10,
  rows: 128,
  columns: 128,
});
const bodies = corpus.map((study) => stowBody(study.instances));
const instances = corpus.reduce((n, study) => n + study.instances.length, 0);
for (let i = 0; i < Number(values.runs); i++) await run(bodies, instances);
