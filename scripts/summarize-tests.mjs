#!/usr/bin/env node
// Adds up the Vitest JSON reports every package writes to .test-results/vitest.json and prints
// one closing line, "N passed, N failed, N skipped". Exits non-zero when a test failed or a package
// that has tests wrote no report (a suite that silently did not run is a failure, not a pass).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
const rows = [];

for (const group of ['packages', 'apps', 'bench']) {
  const groupDir = join(root, group);
  if (!existsSync(groupDir)) continue;
  const dirs = group === 'bench' ? [''] : readdirSync(groupDir);
  for (const name of dirs) {
    const dir = join(groupDir, name);
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (!manifest.scripts?.test) continue;
    // One report per run: `vitest.json`, plus e.g. `vitest-postgres.json` for a second storage mode.
    const reportsDir = join(dir, '.test-results');
    const reports = existsSync(reportsDir)
      ? readdirSync(reportsDir).filter((file) => /^vitest.*\.json$/.test(file))
      : [];
    // A package running its suite more than once lists every report it must write.
    const expected = manifest.pacskit?.testReports ?? ['vitest'];
    for (const name of expected) {
      if (!reports.includes(`${name}.json`)) missing.push(`${manifest.name} (${name})`);
    }
    for (const file of reports.sort()) {
      const report = JSON.parse(readFileSync(join(reportsDir, file), 'utf8'));
      passed += report.numPassedTests ?? 0;
      failed += report.numFailedTests ?? 0;
      skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
      const label = file === 'vitest.json' ? manifest.name : `${manifest.name} (${file.slice(7, -5)})`;
      rows.push(`  ${label.padEnd(40)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
    }
  }
}

console.log('\nTest summary');
for (const row of rows) console.log(row);
for (const name of missing) console.log(`  ${name.padEnd(40)} NO REPORT (suite did not run)`);
console.log(`${passed} passed, ${failed + missing.length} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
