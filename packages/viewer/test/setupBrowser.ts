import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Unmount every viewer after each test: stale viewers would stack up, scroll the page and keep their
// engines alive (this project does not use Vitest globals, so Testing Library cannot do it itself).
afterEach(() => cleanup());
