import { defineConfig } from 'vitest/config';
import { pacskitTestConfig, workspaceCondition } from '../../scripts/vitest-preset.ts';
import { bothModesTestFiles, testStorageMode } from './test/storageMode.ts';

const mode = testStorageMode();
const base = pacskitTestConfig(
  {
    globalSetup: ['test/storageMode.globalSetup.ts'],
    ...(mode === 'postgres' ? { include: bothModesTestFiles } : {}),
  },
  mode === 'postgres' ? 'vitest-postgres' : 'vitest',
);

// No `module` condition on the server side: with it, @aws-sdk/* resolve to their bundler-only ESM
// builds, which do not load in Node (the S3 blob store's contract tests need the Node build).
export default defineConfig({
  ...base,
  ssr: { resolve: { conditions: [workspaceCondition, 'node', 'development|production'] } },
});
