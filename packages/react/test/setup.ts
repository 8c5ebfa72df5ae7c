// Test setup: jest-dom and axe matchers, and DOM APIs jsdom lacks that components rely on.
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, expect } from 'vitest';
import * as axeMatchers from 'vitest-axe/matchers.js';

expect.extend(axeMatchers);
afterEach(() => cleanup());

// jsdom has no ResizeObserver; @tanstack/react-virtual only needs it to exist.
if (!('ResizeObserver' in globalThis)) {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
