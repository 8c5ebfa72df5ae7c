import { PacsError, isPacsError } from '@pacskit/dicom';
import type { JobError, JobHandler } from './JobQueue.js';

/** Where an adapter persists what an attempt does to its job record. */
export interface JobRecordWriter {
  saveProgress(id: string, progress: unknown): Promise<void>;
  markSucceeded(id: string, result: unknown): Promise<void>;
  /** `retryAt` (epoch ms) is when an adapter that schedules itself should run the job again. */
  markFailed(
    id: string,
    failure: { state: 'retrying' | 'dead'; error: JobError; retryAt: number },
  ): Promise<void>;
}

export type AttemptOutcome =
  | { status: 'succeeded' }
  | { status: 'retry'; error: JobError }
  /** `permanent`: the handler's `isPermanent` said no retry can help (as opposed to the last attempt failing). */
  | { status: 'dead'; error: JobError; permanent: boolean }
  /** The queue closed during the attempt: the adapter puts the job back for another process or start. */
  | { status: 'interrupted' };

export interface RunJobAttemptOptions {
  writer: JobRecordWriter;
  id: string;
  request: unknown;
  attempt: number;
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number;
  /** Aborted when the queue closes. */
  shutdown: AbortSignal;
  handler: JobHandler;
  isPermanent: (error: unknown) => boolean;
  now?: () => number;
}

/** Only a PacsError's code and message are kept: other errors may carry anything, patient data included. */
export function toJobError(error: unknown): JobError {
  return isPacsError(error)
    ? { code: error.code, message: error.message }
    : { code: 'INTERNAL', message: 'unexpected failure' };
}

/**
 * Runs one attempt of a job the adapter has claimed, and records how it ended. The two adapters
 * share it so a job moves through the same states whichever runs it: only the scheduling (who
 * claims a job, when a retry is due) is theirs.
 */
export async function runJobAttempt(options: RunJobAttemptOptions): Promise<AttemptOutcome> {
  const { writer, id, attempt, shutdown } = options;
  const now = options.now ?? Date.now;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([shutdown, timeout]);
  try {
    const result = await options.handler(options.request, {
      jobId: id,
      attempt,
      signal,
      reportProgress: (progress) => writer.saveProgress(id, progress),
    });
    await writer.markSucceeded(id, result);
    return { status: 'succeeded' };
  } catch (failure) {
    if (shutdown.aborted) return { status: 'interrupted' };
    const error = timeout.aborted
      ? toJobError(new PacsError('TIMEOUT', `the attempt ran longer than ${options.timeoutMs} ms`))
      : toJobError(failure);
    const permanent = options.isPermanent(failure);
    if (permanent || attempt >= options.maxAttempts) {
      await writer.markFailed(id, { state: 'dead', error, retryAt: now() });
      return { status: 'dead', error, permanent };
    }
    // Exponential backoff: backoffMs, 2×, 4× … after the first, second, third failed attempt.
    const retryAt = now() + options.backoffMs * 2 ** (attempt - 1);
    await writer.markFailed(id, { state: 'retrying', error, retryAt });
    return { status: 'retry', error };
  }
}
