#!/usr/bin/env node
// The two newcomer commands: `npm start` and `npm test`.
// On a machine with only Node 20 and npm this does all the set-up: bootstrap pnpm, install with
// the lockfile, fetch test data and Debian peers (test), build, then run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const command = process.argv[2];
const pinnedPnpm = '10.34.9';

/**
 * Debian packages the test suites need (real peers: DCMTK, Orthanc, Chromium, PostgreSQL), and
 * Orthanc's PostgreSQL plugin for the scale-out benchmarks (bench/, PACSKIT_BENCH_MODE=postgres).
 */
const debianPackages = {
  dcmtk: '/usr/bin/storescu',
  orthanc: '/usr/sbin/Orthanc',
  'orthanc-dicomweb': '/usr/share/orthanc/plugins/libOrthancDicomWeb.so',
  'orthanc-postgresql': '/usr/share/orthanc/plugins/libOrthancPostgreSQLIndex.so',
  chromium: '/usr/bin/chromium',
  postgresql: '/usr/lib/postgresql/15/bin/initdb',
  iproute2: '/usr/bin/ip',
};

function run(program, args, options = {}) {
  const result = spawnSync(program, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function mustRun(program, args, options) {
  const status = run(program, args, options);
  if (status !== 0) {
    console.error(`\n✖ ${program} ${args.join(' ')} exited with ${status}`);
    process.exit(status);
  }
}

function findPnpm() {
  const onPath = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim().startsWith('10.')) return 'pnpm';
  const localBin = join(root, '.pnpm-bootstrap', 'node_modules', '.bin', 'pnpm');
  if (!existsSync(localBin)) {
    console.log(`▶ pnpm ${pinnedPnpm} not found; installing it locally into .pnpm-bootstrap/`);
    mkdirSync(join(root, '.pnpm-bootstrap'), { recursive: true });
    mustRun('npm', [
      'install',
      '--no-save',
      '--no-package-lock',
      '--prefix',
      join(root, '.pnpm-bootstrap'),
      `pnpm@${pinnedPnpm}`,
    ]);
  }
  return localBin;
}

function ensureDebianPackages() {
  const missing = Object.entries(debianPackages)
    .filter(([, probe]) => !existsSync(probe))
    .map(([name]) => name);
  if (missing.length === 0) return;
  const installCommand = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(
      `✖ The test suites need these Debian packages: ${missing.join(', ')}.\n  Run as root:  ${installCommand}`,
    );
    process.exit(1);
  }
  console.log(`▶ installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  mustRun('apt-get', ['update', '-qq'], { env });
  mustRun('apt-get', ['install', '-y', '-qq', ...missing], { env });
}

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };
const pnpm = findPnpm();

switch (command) {
  case 'start': {
    mustRun(pnpm, ['install', '--frozen-lockfile'], { env });
    mustRun(pnpm, ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { env });
    process.exit(run(pnpm, ['--filter', '@pacskit/archive-server', 'run', 'start:demo'], { env }));
    break;
  }
  case 'test': {
    ensureDebianPackages();
    mustRun(pnpm, ['install', '--frozen-lockfile'], { env });
    mustRun('bash', [join(root, 'scripts', 'fetch-test-data.sh')], { env });
    mustRun(pnpm, ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], { env });
    mustRun(pnpm, ['run', 'lint'], { env });
    mustRun(pnpm, ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only'], { env });
    process.exit(run(pnpm, ['run', 'test:workspace'], { env }));
    break;
  }
  default:
    console.error('usage: node scripts/bootstrap.mjs start|test');
    process.exit(2);
}
