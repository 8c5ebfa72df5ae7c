import { defineConfig } from 'vitest/config';
import { pacskitTestConfig } from '../../scripts/vitest-preset.ts';

export default defineConfig(pacskitTestConfig());
