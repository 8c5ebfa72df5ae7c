#!/usr/bin/env node
// Enforces the dependency direction of DESIGN.md on package manifests and on every import:
//   dicom → nothing; sdk → dicom; viewer → dicom; react → sdk (+ viewer lazily, never an adapter);
//   archive-server → dicom only; portal is a leaf; nothing imports an app or another package's /src/.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Workspace packages each workspace package may depend on. */
const allowed = {
  '@pacskit/dicom': [],
  '@pacskit/sdk': ['@pacskit/dicom'],
  '@pacskit/viewer': ['@pacskit/dicom'],
  '@pacskit/react': ['@pacskit/sdk', '@pacskit/dicom', '@pacskit/viewer'],
  '@pacskit/archive-server': ['@pacskit/dicom'],
  '@pacskit/portal': ['@pacskit/dicom', '@pacskit/sdk', '@pacskit/viewer', '@pacskit/react'],
  '@pacskit/bench': ['@pacskit/dicom', '@pacskit/sdk', '@pacskit/archive-server'],
};
/** Import specifiers forbidden in a package's source, beyond the manifest rule. */
const forbiddenImports = {
  '@pacskit/react': [/^@pacskit\/sdk\/adapters/, /^@cornerstonejs\//],
  '@pacskit/sdk': [/^node:/, /^react/, /^@cornerstonejs\//],
  '@pacskit/dicom': [/^node:/, /^react/, /^@cornerstonejs\//],
  // The archive renders with Cornerstone's standalone codecs (WASM CharLS/OpenJPEG/OpenJPH, JPEG
  // Lossless), never with Cornerstone3D itself.
  '@pacskit/archive-server': [/^react/, /^@cornerstonejs\/(?!codec-|jpeg-lossless-decoder-js$)/],
};
const problems = [];

function packageDirs() {
  const dirs = [];
  for (const group of ['packages', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir)) dirs.push(join(groupDir, name));
  }
  if (existsSync(join(root, 'bench', 'package.json'))) dirs.push(join(root, 'bench'));
  return dirs.filter((dir) => existsSync(join(dir, 'package.json')));
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(c|m)?(t|j)sx?$/.test(entry)) yield path;
  }
}

const importPattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

for (const dir of packageDirs()) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const name = manifest.name;
  const may = allowed[name];
  if (!may) {
    problems.push(`${name}: not in the dependency table of scripts/check-dependency-direction.mjs`);
    continue;
  }
  const deps = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies };
  for (const dep of Object.keys(deps)) {
    if (dep.startsWith('@pacskit/') && !may.includes(dep)) problems.push(`${name} may not depend on ${dep}`);
  }
  const srcDir = join(dir, 'src');
  if (!existsSync(srcDir)) continue;
  const forbidden = forbiddenImports[name] ?? [];
  // The SDK's Node-only test helpers (conformance suite runners) may use Node built-ins.
  for (const file of sourceFiles(srcDir)) {
    const isTest = /\.(test|spec|stories)\.|\/testing\/node|\/__tests__\//.test(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2];
      const where = relative(root, file);
      if (specifier.startsWith('@pacskit/')) {
        const target = specifier.split('/').slice(0, 2).join('/');
        if (target !== name && !may.includes(target)) problems.push(`${where}: may not import ${specifier}`);
        if (specifier.includes('/src'))
          problems.push(`${where}: imports another package's /src/ (${specifier})`);
      }
      // react loads the viewer lazily (React.lazy) so a dashboard without images never loads Cornerstone.
      if (name === '@pacskit/react' && !isTest && match[1] && specifier.startsWith('@pacskit/viewer')) {
        if (!/^(import|export)\s+type\s/.test(match[0]))
          problems.push(`${where}: import @pacskit/viewer lazily (import())`);
      }
      if (/(^|\/)apps\//.test(specifier)) problems.push(`${where}: imports an app (${specifier})`);
      if (!isTest && forbidden.some((pattern) => pattern.test(specifier))) {
        problems.push(`${where}: ${name} may not import ${specifier}`);
      }
    }
  }
}

if (problems.length > 0) {
  console.error('✖ dependency direction (DESIGN.md) violated:');
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log('✔ dependency direction holds');
