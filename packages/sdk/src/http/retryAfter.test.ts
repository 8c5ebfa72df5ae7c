import { describe, expect, it } from 'vitest';
import { retryAfter } from './httpTransport.js';

describe('retryAfter (RFC 9110 10.2.3)', () => {
  it('reads delay-seconds and HTTP-dates relative to now, and ignores nonsense', () => {
    const now = Date.parse('Sun, 22 Nov 2026 17:00:00 GMT');
    expect(retryAfter('120', now)).toBe(120_000);
    expect(retryAfter('Sun, 22 Nov 2026 17:00:30 GMT', now)).toBe(30_000);
    expect(retryAfter('Sun, 22 Nov 2026 16:00:00 GMT', now)).toBe(0);
    expect(retryAfter('soon', now)).toBeUndefined();
    expect(retryAfter(null, now)).toBeUndefined();
  });
});
