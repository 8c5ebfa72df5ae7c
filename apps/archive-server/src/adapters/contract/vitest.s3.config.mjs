// Runs the S3 contract (s3.contract.s3test.ts). The workspace preset resolves the `module`
// condition, which Vitest also passes to Node (`--conditions module`); the AWS SDK's packages map
// `module` to their bundler build (dist-es, extensionless imports) and fail to load in Node. This
// config is the preset minus that condition. Run from apps/archive-server:
//   npx vitest run --config src/adapters/contract/vitest.s3.config.mjs
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { pacskitTestConfig, workspaceCondition } from '../../../../../scripts/vitest-preset.ts';

const base = pacskitTestConfig({
  include: ['src/adapters/contract/*.s3test.ts'],
  reporters: ['default', ['json', { outputFile: '.test-results/vitest-s3.json' }]],
});
export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  ssr: { resolve: { conditions: [workspaceCondition, 'node', 'development|production'] } },
});
