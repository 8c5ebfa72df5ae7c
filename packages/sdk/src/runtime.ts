/**
 * What the SDK needs from its host, injected so that it runs unchanged in browsers, Node and
 * workers (DESIGN.md: no DOM, no Node built-ins). Each defaults to the global of the same name.
 */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface Clock {
  /** Epoch milliseconds (token expiry is compared with it). */
  now(): number;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const defaultClock: Clock = {
  now: () => Date.now(),
};

export const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function defaultFetch(): FetchLike {
  if (typeof globalThis.fetch !== 'function') {
    throw new TypeError('No global fetch: pass `fetch` in the options');
  }
  return (input, init) => globalThis.fetch(input, init);
}
