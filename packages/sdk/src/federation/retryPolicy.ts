import { PacsError, isPacsError } from '@pacskit/dicom';
import type { PacsErrorCode } from '@pacskit/dicom';
import type { Timers } from '../runtime.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  retries?: number;
  /** First backoff (default 200 ms); doubles each retry up to `maxDelayMs` (default 5 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Failures a later attempt may not repeat: the source was unreachable, slow or overloaded. */
const transientCodes: ReadonlySet<PacsErrorCode> = new Set<PacsErrorCode>([
  'NETWORK_ERROR',
  'TIMEOUT',
  'UNAVAILABLE',
  'RATE_LIMITED',
  'HTTP_ERROR',
]);

export function isTransient(error: unknown): boolean {
  return isPacsError(error) && transientCodes.has(error.code);
}

/**
 * The delay before retry `attempt` (0-based): "full jitter" exponential backoff, a random
 * point in [0, min(max, base·2^attempt)] (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"), so that many clients do not retry in lockstep against a recovering source.
 */
export function backoffDelay(attempt: number, options: RetryOptions, random: () => number): number {
  const cap = Math.min(options.maxDelayMs ?? 5_000, (options.baseDelayMs ?? 200) * 2 ** attempt);
  return Math.floor(random() * cap);
}

/** Waits `ms` on the injected timers; rejects with ABORTED when the signal fires. */
export function sleep(
  ms: number,
  timers: Timers,
  signal: AbortSignal | undefined,
  source: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new PacsError('ABORTED', 'the caller aborted the request', { source }));
      return;
    }
    const onAbort = () => {
      timers.clearTimeout(handle);
      reject(new PacsError('ABORTED', 'the caller aborted the request', { source }));
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
