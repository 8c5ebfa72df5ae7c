import { PacsError, isPacsError } from '@pacskit/dicom';
import { afterEach, expect, test } from 'vitest';
import type { JobQueue, JobRecord } from './JobQueue.js';

export interface JobQueueContractOptions {
  /** Opens the queue on the same durable storage each call (a restart is close, then open). */
  open(): Promise<JobQueue>;
  /** The backoff the retry test asks for; pg-boss counts whole seconds. */
  backoffMs: number;
}

/** Polls `get` (as the admin routes do) until the job is succeeded or dead. */
export async function waitForEnd(queue: JobQueue, id: string, timeoutMs = 30_000): Promise<JobRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.get(id);
    if (job && (job.state === 'succeeded' || job.state === 'dead')) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job?.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The behaviour every JobQueue adapter shares; each adapter's test file calls this once. */
export function jobQueueContract(options: JobQueueContractOptions): void {
  const opened: JobQueue[] = [];
  const open = async () => {
    const queue = await options.open();
    opened.push(queue);
    return queue;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
  });

  test('runs an enqueued job once and keeps its result; get and list show it', async () => {
    const queue = await open();
    const seen: unknown[] = [];
    await queue.work('contract-echo', async (request, context) => {
      seen.push({ request, attempt: context.attempt });
      return { echoed: request };
    });
    const queued = await queue.enqueue('contract-echo', { n: 1 });
    expect(queued).toMatchObject({ kind: 'contract-echo', state: 'queued', attempts: 0, maxAttempts: 3 });
    const done = await waitForEnd(queue, queued.id);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 1, result: { echoed: { n: 1 } } });
    expect(done.error).toBeUndefined();
    expect(seen).toEqual([{ request: { n: 1 }, attempt: 1 }]);
    expect((await queue.list({ kind: 'contract-echo' })).map((job) => job.id)).toContain(queued.id);
    expect(await queue.list({ kind: 'contract-echo', state: 'dead' })).toEqual([]);
  });

  test('progress a handler reports is readable while the job runs', async () => {
    const queue = await open();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await queue.work('contract-progress', async (_request, context) => {
      await context.reportProgress({ completed: 1, remaining: 1 });
      await released;
      return null;
    });
    const { id } = await queue.enqueue('contract-progress', {});
    const deadline = Date.now() + 30_000;
    let running: JobRecord | undefined;
    while (Date.now() < deadline) {
      running = await queue.get(id);
      if (running?.progress) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(running).toMatchObject({ state: 'running', progress: { completed: 1, remaining: 1 } });
    release();
    expect((await waitForEnd(queue, id)).state).toBe('succeeded');
  });

  test('a failing job is retried with growing backoff, then lands in the dead letters', async () => {
    const queue = await open();
    const startedAt: number[] = [];
    const deadLettered: unknown[] = [];
    await queue.work(
      'contract-fail',
      async () => {
        startedAt.push(Date.now());
        throw new PacsError('ASSOCIATION_FAILED', 'peer does not answer');
      },
      { onDeadLetter: (job) => deadLettered.push(job) },
    );
    const { id } = await queue.enqueue('contract-fail', {}, { maxAttempts: 3, backoffMs: options.backoffMs });
    const dead = await waitForEnd(queue, id);
    expect(dead).toMatchObject({
      state: 'dead',
      attempts: 3,
      error: { code: 'ASSOCIATION_FAILED', message: 'peer does not answer' },
    });
    expect(startedAt).toHaveLength(3);
    // Lower bounds only (no speed assertion): each retry waited at least its backoff, doubling.
    expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(options.backoffMs * 0.95);
    expect(startedAt[2]! - startedAt[1]!).toBeGreaterThanOrEqual(options.backoffMs * 2 * 0.95);
    expect((await queue.list({ state: 'dead' })).map((job) => job.id)).toContain(id);
    expect(deadLettered).toEqual([
      { id, kind: 'contract-fail', error: { code: 'ASSOCIATION_FAILED', message: 'peer does not answer' } },
    ]);
  });

  test('a permanent failure is dead-lettered after one attempt', async () => {
    const queue = await open();
    let attempts = 0;
    await queue.work(
      'contract-permanent',
      async () => {
        attempts += 1;
        throw new PacsError('UNKNOWN_AE', 'remote AE not in the AE table');
      },
      { isPermanent: (error) => isPacsError(error, 'UNKNOWN_AE') },
    );
    const { id } = await queue.enqueue('contract-permanent', {});
    expect(await waitForEnd(queue, id)).toMatchObject({
      state: 'dead',
      attempts: 1,
      error: { code: 'UNKNOWN_AE' },
    });
    expect(attempts).toBe(1);
  });

  test('an error that is not a PacsError is recorded without its message', async () => {
    const queue = await open();
    await queue.work('contract-internal', async () => {
      throw new Error('Doe^John 19700101');
    });
    const { id } = await queue.enqueue('contract-internal', {}, { maxAttempts: 1 });
    const dead = await waitForEnd(queue, id);
    expect(dead.error).toEqual({ code: 'INTERNAL', message: 'unexpected failure' });
  });

  test('a queued job survives a restart and runs in the next process', async () => {
    const first = await open();
    const { id } = await first.enqueue('contract-restart', { survive: true });
    await first.close();
    const second = await open();
    expect((await second.get(id))?.state).toBe('queued');
    const seen: unknown[] = [];
    await second.work('contract-restart', async (request) => {
      seen.push(request);
      return 'ran';
    });
    expect(await waitForEnd(second, id)).toMatchObject({ state: 'succeeded', result: 'ran' });
    expect(seen).toEqual([{ survive: true }]);
  });

  test('an attempt cut short by close runs again after the restart', async () => {
    const first = await open();
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    await first.work('contract-interrupt', async (_request, context) => {
      started();
      await new Promise((_resolve, reject) => {
        context.signal.addEventListener('abort', () => reject(new PacsError('ABORTED', 'cancelled')));
      });
    });
    const { id } = await first.enqueue(
      'contract-interrupt',
      {},
      { maxAttempts: 3, backoffMs: options.backoffMs },
    );
    await running;
    await first.close();
    expect((await (await open()).get(id))?.state).toBe('retrying');
    const second = opened.at(-1)!;
    await second.work('contract-interrupt', async () => 'finished');
    expect(await waitForEnd(second, id)).toMatchObject({ state: 'succeeded', result: 'finished' });
  });
}
