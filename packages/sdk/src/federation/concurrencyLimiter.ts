/** A counting semaphore: at most `limit` tasks run at once; the rest wait in FIFO order. */
export interface ConcurrencyLimiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createConcurrencyLimiter(limit: number): ConcurrencyLimiter {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError('the concurrency limit is a positive integer');
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    active--;
    const next = queue.shift();
    if (next) {
      active++;
      next();
    }
  };
  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    run<T>(task: () => Promise<T>): Promise<T> {
      const start = (): Promise<T> => task().finally(release);
      if (active < limit) {
        active++;
        return start();
      }
      return new Promise<void>((resolve) => queue.push(resolve)).then(start);
    },
  };
}
