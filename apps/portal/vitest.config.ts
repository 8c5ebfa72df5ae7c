import { defineConfig } from 'vitest/config';
import { pacskitTestConfig } from '../../scripts/vitest-preset.ts';

// The end-to-end test starts the built archive and drives real Chromium: generous timeouts, one
// file at a time.
export default defineConfig(
  pacskitTestConfig({ testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false }),
);
