import { defineConfig } from 'vitest/config';
import { pacskitTestConfig } from '../../scripts/vitest-preset.ts';

export default defineConfig(
  pacskitTestConfig({
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./test/setup.ts'],
    // axe over a whole dashboard in jsdom takes seconds on 2 busy cores; this is a hang guard, not a speed test.
    testTimeout: 30_000,
  }),
);
