import { PacsError } from '@pacskit/dicom';
import type { Clock } from './AccessConfig.js';

/**
 * A fixed-window counter per key (client IP, user name) for the auth routes: `limit` attempts per
 * `windowMs`, then RATE_LIMITED (429) with the seconds to wait. In-process: behind several archive
 * processes each counts on its own, so the effective limit is per process.
 */
export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  clock: Clock;
  maxKeys?: number;
}) {
  const windows = new Map<string, { start: number; count: number }>();
  const maxKeys = options.maxKeys ?? 10_000;
  return {
    /** Counts one attempt for the key; throws RATE_LIMITED when over the limit. */
    hit(key: string): void {
      const now = options.clock.now();
      let window = windows.get(key);
      if (!window || now - window.start >= options.windowMs) {
        if (windows.size >= maxKeys) {
          for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k);
          if (windows.size >= maxKeys) windows.clear();
        }
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      window.count++;
      if (window.count > options.limit) {
        const retryAfterSeconds = Math.ceil((window.start + options.windowMs - now) / 1000);
        throw new PacsError('RATE_LIMITED', 'too many attempts, try again later', {
          details: { retryAfterSeconds },
        });
      }
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
