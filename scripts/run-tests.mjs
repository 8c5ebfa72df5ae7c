#!/usr/bin/env node
// Runs every package's test suite through turbo (one at a time: 2 cores, and several suites start
// real peers), continuing past a failing package so the summary shows them all, then prints the
// closing "N passed, N failed" line. Old reports are removed first so a stale pass never counts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const group of ['packages', 'apps']) {
  const groupDir = join(root, group);
  if (!existsSync(groupDir)) continue;
  for (const name of readdirSync(groupDir))
    rmSync(join(groupDir, name, '.test-results'), { recursive: true, force: true });
}
rmSync(join(root, 'bench', '.test-results'), { recursive: true, force: true });

const turbo = spawnSync('pnpm', ['exec', 'turbo', 'run', 'test', '--concurrency=1', '--continue'], {
  cwd: root,
  stdio: 'inherit',
});
const summary = spawnSync('node', [join(root, 'scripts', 'summarize-tests.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(turbo.status !== 0 ? turbo.status || 1 : (summary.status ?? 1));
