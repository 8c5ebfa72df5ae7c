import { defineConfig } from 'vitest/config';
import { pacskitTestConfig } from '../../scripts/vitest-preset.ts';

export default defineConfig(
  pacskitTestConfig({
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./test/setup.ts'],
  }),
);
