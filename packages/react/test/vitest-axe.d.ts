import 'vitest';
import type { AxeMatchers } from 'vitest-axe/matchers.js';

declare module 'vitest' {
  interface Assertion<T = unknown> extends AxeMatchers {}
  interface AsymmetricMatchersContaining extends AxeMatchers {}
}
