import { PacsError } from '@pacskit/dicom';
import type { Clock } from '../runtime.js';

export type CircuitState = 'closed' | 'open' | 'halfOpen';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** How long an open circuit fails fast before letting one trial call through (default 30 s). */
  resetTimeoutMs?: number;
}

export interface CircuitBreaker {
  readonly state: CircuitState;
  /** Throws CIRCUIT_OPEN while open; in half-open, lets exactly one trial through. */
  acquire(): void;
  recordSuccess(): void;
  recordFailure(): void;
  /** The call ended without a verdict on the source (the caller aborted): free the half-open trial. */
  abandon(): void;
}

/**
 * A per-source circuit breaker (closed → open after `failureThreshold` consecutive failures →
 * half-open after `resetTimeoutMs` → closed on one success, open again on a failure).
 * `onChange` reports every transition (federation turns them into sourceDown/sourceUp).
 */
export function createCircuitBreaker(
  source: string,
  clock: Clock,
  options: CircuitBreakerOptions = {},
  onChange: (state: CircuitState) => void = () => {},
): CircuitBreaker {
  const threshold = options.failureThreshold ?? 5;
  const resetTimeoutMs = options.resetTimeoutMs ?? 30_000;
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let trialInFlight = false;
  const move = (next: CircuitState) => {
    if (next === state) return;
    state = next;
    onChange(next);
  };
  return {
    get state() {
      if (state === 'open' && clock.now() - openedAt >= resetTimeoutMs) return 'halfOpen';
      return state;
    },
    acquire() {
      if (state === 'open') {
        if (clock.now() - openedAt < resetTimeoutMs) {
          throw new PacsError('CIRCUIT_OPEN', `${source} is failing; calls are paused`, { source });
        }
        move('halfOpen');
      }
      if (state === 'halfOpen') {
        if (trialInFlight) throw new PacsError('CIRCUIT_OPEN', `${source} is being probed`, { source });
        trialInFlight = true;
      }
    },
    recordSuccess() {
      failures = 0;
      trialInFlight = false;
      move('closed');
    },
    abandon() {
      trialInFlight = false;
    },
    recordFailure() {
      failures++;
      trialInFlight = false;
      if (state === 'halfOpen' || failures >= threshold) {
        openedAt = clock.now();
        move('open');
      }
    },
  };
}
