import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuitBreaker.js';

describe('createCircuitBreaker', () => {
  it('opens after the threshold, lets one trial through after the reset time, and closes on success', () => {
    let now = 0;
    const changes: string[] = [];
    const breaker = createCircuitBreaker(
      's',
      { now: () => now },
      { failureThreshold: 2, resetTimeoutMs: 100 },
      (state) => changes.push(state),
    );
    breaker.acquire();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.acquire();
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(() => breaker.acquire()).toThrow(expect.objectContaining({ code: 'CIRCUIT_OPEN', source: 's' }));
    now = 150;
    expect(breaker.state).toBe('halfOpen');
    breaker.acquire();
    expect(() => breaker.acquire()).toThrow(expect.objectContaining({ code: 'CIRCUIT_OPEN' }));
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual(['open', 'halfOpen', 'closed']);
  });

  it('reopens when the half-open trial fails, and an abandoned trial leaves it half-open', () => {
    let now = 0;
    const breaker = createCircuitBreaker(
      's',
      { now: () => now },
      { failureThreshold: 1, resetTimeoutMs: 100 },
    );
    breaker.acquire();
    breaker.recordFailure();
    now = 200;
    breaker.acquire();
    breaker.abandon();
    expect(breaker.state).toBe('halfOpen');
    breaker.acquire();
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(() => breaker.acquire()).toThrow(expect.objectContaining({ code: 'CIRCUIT_OPEN' }));
  });
});
