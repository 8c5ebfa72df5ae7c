/**
 * queued → running → succeeded; a failed attempt → retrying (after a backoff) → running …; the last
 * failed attempt, or a failure the handler calls permanent → dead (the dead-letter list).
 */
export type JobState = 'queued' | 'running' | 'retrying' | 'succeeded' | 'dead';

/** Why the last attempt failed: a PacsError code and message, never a stack or patient data. */
export interface JobError {
  code: string;
  message: string;
}

/** A job as the queue keeps it: persisted in both adapters, read by any process. */
export interface JobRecord {
  id: string;
  /** The queue the job waits in; one handler per kind (`work`). */
  kind: string;
  /** What the handler is given (JSON). */
  request: unknown;
  state: JobState;
  /** Attempts started so far, the running one included. */
  attempts: number;
  maxAttempts: number;
  /** The handler's last `reportProgress` (JSON). */
  progress?: unknown;
  /** What the handler resolved with (JSON), once succeeded. */
  result?: unknown;
  error?: JobError;
  createdAt: string;
  updatedAt: string;
}

export interface EnqueueOptions {
  /** Attempts in all, the first included (default 3). */
  maxAttempts?: number;
  /** The delay before the first retry; it doubles each attempt (default 1 s). */
  backoffMs?: number;
  /** An attempt running longer is aborted (its signal) and counts as failed (default 10 min). */
  timeoutMs?: number;
}

export interface JobContext {
  jobId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted at the attempt's timeout and when the queue closes. */
  signal: AbortSignal;
  /** Persists progress (JSON) so `get` shows it from any process while the job runs. */
  reportProgress(progress: unknown): Promise<void>;
}

/** Runs one attempt; resolves with the result (JSON) or throws to fail the attempt. */
export type JobHandler = (request: unknown, context: JobContext) => Promise<unknown>;

export interface WorkOptions {
  /** Attempts of this kind run at once in this process (default 2). */
  concurrency?: number;
  /** A failure no retry can fix (an unknown AE, a bad request): dead-lettered at once. */
  isPermanent?: (error: unknown) => boolean;
  /** Told when a job of this kind lands in the dead letters (operators' log). */
  onDeadLetter?: (job: { id: string; kind: string; error: JobError }) => void;
}

export interface JobListFilter {
  kind?: string;
  state?: JobState;
}

/**
 * The archive's durable background job queue (issue 9: moves, forwards, retries). Enqueued jobs
 * survive a restart; each runs once at a time across every process sharing the queue, retried with
 * exponential backoff, and lands on the dead-letter list (`state: 'dead'`) after its last attempt.
 * Adapters: SqliteJobQueue (embedded, one process) and PgBossJobQueue (scale-out, pg-boss on the
 * archive's PostgreSQL).
 */
export interface JobQueue {
  enqueue(kind: string, request: unknown, options?: EnqueueOptions): Promise<JobRecord>;
  /** Starts running this process's share of `kind`'s jobs with `handler`. */
  work(kind: string, handler: JobHandler, options?: WorkOptions): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Newest first. */
  list(filter?: JobListFilter): Promise<JobRecord[]>;
  /** Stops taking jobs, aborts the running attempts (they are retried later) and waits for them. */
  close(): Promise<void>;
}

export const defaultEnqueueOptions: Required<EnqueueOptions> = {
  maxAttempts: 3,
  backoffMs: 1000,
  timeoutMs: 10 * 60_000,
};

/** Kinds double as pg-boss queue names. */
export const jobKindPattern = /^[a-z][a-z0-9-]{0,62}$/;
