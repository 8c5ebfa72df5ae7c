import { PacsError, isPacsError } from '@pacskit/dicom';
import type { PacsAdapter } from '../pacsAdapter.js';
import type { Clock, Timers } from '../runtime.js';
import type { CircuitBreaker } from './circuitBreaker.js';
import type { ConcurrencyLimiter } from './concurrencyLimiter.js';
import { backoffDelay, isTransient, sleep } from './retryPolicy.js';
import type { RetryOptions } from './retryPolicy.js';
import type { StatisticsRecorder } from './sourceStatistics.js';
import type { FederatedSource } from './createFederatedClient.js';

/** A source with its circuit breaker and statistics. */
export interface SourceRuntime {
  source: FederatedSource;
  breaker: CircuitBreaker;
  statistics: StatisticsRecorder;
}

export interface SourceCallerOptions {
  clock: Clock;
  timers: Timers;
  random: () => number;
  retry: RetryOptions;
  timeoutMs: number;
  limiter: ConcurrencyLimiter;
}

export type SourceCall = <T>(
  runtime: SourceRuntime,
  operation: (adapter: PacsAdapter, signal: AbortSignal) => Promise<T>,
  idempotent: boolean,
  signal: AbortSignal | undefined,
) => Promise<T>;

/**
 * How the federated client calls one source: a deadline per attempt (also for adapters that
 * ignore their signal), the circuit breaker, statistics, a concurrency slot, and retries with
 * jittered backoff (at least Retry-After) for idempotent calls.
 */
export function createSourceCaller({
  clock,
  timers,
  random,
  retry,
  timeoutMs,
  limiter,
}: SourceCallerOptions): SourceCall {
  /** One source call with deadline, breaker, statistics, concurrency slot and (if idempotent) retries. */
  const call = async <T>(
    runtime: SourceRuntime,
    operation: (adapter: PacsAdapter, signal: AbortSignal) => Promise<T>,
    idempotent: boolean,
    signal: AbortSignal | undefined,
  ): Promise<T> => {
    const attempts = idempotent ? (retry.retries ?? 2) + 1 : 1;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted)
        throw new PacsError('ABORTED', 'the caller aborted the request', { source: runtime.source.id });
      try {
        runtime.breaker.acquire();
      } catch (error) {
        runtime.statistics.failure('CIRCUIT_OPEN');
        throw error;
      }
      const started = clock.now();
      try {
        const value = await limiter.run(() => withDeadline(runtime, operation, signal));
        runtime.breaker.recordSuccess();
        runtime.statistics.success(clock.now() - started);
        return value;
      } catch (caught) {
        const error = asPacsError(caught, runtime.source.id);
        if (error.code === 'ABORTED' && signal?.aborted) {
          // The caller gave up: that says nothing about the source, so the circuit stays as it was.
          runtime.breaker.abandon();
          throw error;
        }
        // Only failures of the source itself count against its circuit; a 404 proves it is alive.
        if (isTransient(error) || error.code === 'BAD_RESPONSE') runtime.breaker.recordFailure();
        else runtime.breaker.recordSuccess();
        runtime.statistics.failure(error.code);
        if (!isTransient(error) || attempt + 1 >= attempts || runtime.breaker.state === 'open') throw error;
        // A Retry-After (429/503) is a floor for the wait; longer than we would ever wait, fail now.
        const retryAfterMs = error.details?.retryAfterMs;
        const delay = Math.max(
          backoffDelay(attempt, retry, random),
          typeof retryAfterMs === 'number' ? retryAfterMs : 0,
        );
        if (delay > (retry.maxDelayMs ?? 5_000)) throw error;
        runtime.statistics.retry();
        await sleep(delay, timers, signal, runtime.source.id);
      }
    }
  };

  const withDeadline = <T>(
    runtime: SourceRuntime,
    operation: (adapter: PacsAdapter, signal: AbortSignal) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> => {
    const source = runtime.source.id;
    const controller = new AbortController();
    let timer: unknown;
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      const stop = (error: PacsError) => {
        controller.abort(error);
        reject(error);
      };
      timer = timers.setTimeout(
        () => stop(new PacsError('TIMEOUT', `${source} did not answer within ${timeoutMs} ms`, { source })),
        timeoutMs,
      );
      onAbort = () => stop(new PacsError('ABORTED', 'the caller aborted the request', { source }));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    // The race also covers adapters that ignore their signal (a hanging source).
    return Promise.race([operation(runtime.source.adapter, controller.signal), stopped]).finally(() => {
      timers.clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    });
  };

  return call;
}

export function asPacsError(error: unknown, source: string): PacsError {
  if (isPacsError(error)) return error;
  return new PacsError('INTERNAL', 'an adapter failed without a PacsError', { source, cause: error });
}
