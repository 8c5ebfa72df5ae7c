import { randomUUID } from 'node:crypto';
import { PacsError } from '@pacskit/dicom';
import Database from 'better-sqlite3';
import {
  type EnqueueOptions,
  type JobError,
  type JobHandler,
  type JobListFilter,
  type JobQueue,
  type JobRecord,
  type JobState,
  type WorkOptions,
  defaultEnqueueOptions,
  jobKindPattern,
} from '../JobQueue.js';
import { type JobRecordWriter, runJobAttempt } from '../runJobAttempt.js';

const schema = `
CREATE TABLE IF NOT EXISTS job_queue (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL, backoff_ms INTEGER NOT NULL, timeout_ms INTEGER NOT NULL,
  run_after INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  request TEXT NOT NULL, progress TEXT, result TEXT, error TEXT
);
CREATE INDEX IF NOT EXISTS job_queue_due ON job_queue (kind, state, run_after);
CREATE INDEX IF NOT EXISTS job_queue_created ON job_queue (created_at);
`;

interface Row {
  id: string;
  kind: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  backoff_ms: number;
  timeout_ms: number;
  run_after: number;
  created_at: number;
  updated_at: number;
  request: string;
  progress: string | null;
  result: string | null;
  error: string | null;
}

function toRecord(row: Row): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    request: JSON.parse(row.request),
    state: row.state,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    ...(row.progress === null ? {} : { progress: JSON.parse(row.progress) }),
    ...(row.result === null ? {} : { result: JSON.parse(row.result) }),
    ...(row.error === null ? {} : { error: JSON.parse(row.error) as JobError }),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

interface Worker {
  kind: string;
  handler: JobHandler;
  concurrency: number;
  isPermanent: (error: unknown) => boolean;
  onDeadLetter: NonNullable<WorkOptions['onDeadLetter']>;
  running: number;
}

export interface SqliteJobQueueOptions {
  clock?: { now(): number };
  /** Closes the database with the queue (set by `open`, which owns its connection). */
  closeDatabase?: boolean;
}

/**
 * The embedded mode's job queue: a table in the archive's SQLite database (index.sqlite), so queued
 * and retrying jobs survive a restart. Issue 9 asks for a maintained queue rather than a home-made
 * one, and the scale-out mode has it (PgBossJobQueue); but pg-boss and graphile-worker need
 * PostgreSQL, and the embedded mode is one process with zero services to install. With one process
 * there is nobody to race for a job: claiming is an UPDATE in the one writer, scheduling a timer,
 * and what a shared queue is hard for (locks across hosts, stuck workers on other machines) does
 * not arise. An attempt cut short by a crash is found `running` at the next start and counted as failed.
 */
export class SqliteJobQueue implements JobQueue {
  readonly #db: Database.Database;
  readonly #now: () => number;
  readonly #workers = new Map<string, Worker>();
  readonly #running = new Set<Promise<void>>();
  readonly #shutdown = new AbortController();
  readonly #closeDatabase: boolean;
  #timer: NodeJS.Timeout | undefined;

  /** The queue on its own connection to the database file (the archive's index.sqlite). */
  static open(path: string, options: Omit<SqliteJobQueueOptions, 'closeDatabase'> = {}): SqliteJobQueue {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    // A job acknowledged by `enqueue` is on disk, like an acknowledged instance.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    return new SqliteJobQueue(db, { ...options, closeDatabase: true });
  }

  constructor(db: Database.Database, options: SqliteJobQueueOptions = {}) {
    this.#db = db;
    this.#closeDatabase = options.closeDatabase ?? false;
    const clock = options.clock ?? Date;
    this.#now = () => clock.now();
    db.exec(schema);
    this.#recoverInterrupted();
  }

  async enqueue(kind: string, request: unknown, options: EnqueueOptions = {}): Promise<JobRecord> {
    if (!jobKindPattern.test(kind)) throw new PacsError('INVALID_ARGUMENT', 'invalid job kind');
    if (this.#shutdown.signal.aborted) throw new PacsError('UNAVAILABLE', 'the job queue is closed');
    const { maxAttempts, backoffMs, timeoutMs } = { ...defaultEnqueueOptions, ...options };
    const now = this.#now();
    const row = this.#db
      .prepare<unknown[], Row>(
        `INSERT INTO job_queue (id, kind, state, attempts, max_attempts, backoff_ms, timeout_ms, run_after,
           created_at, updated_at, request)
         VALUES (?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(randomUUID(), kind, maxAttempts, backoffMs, timeoutMs, now, now, now, JSON.stringify(request));
    this.#schedule(0);
    return toRecord(row!);
  }

  async work(kind: string, handler: JobHandler, options: WorkOptions = {}): Promise<void> {
    if (this.#workers.has(kind))
      throw new PacsError('CONFLICT', `a handler for ${kind} is already registered`);
    this.#workers.set(kind, {
      kind,
      handler,
      concurrency: options.concurrency ?? 2,
      isPermanent: options.isPermanent ?? (() => false),
      onDeadLetter: options.onDeadLetter ?? (() => undefined),
      running: 0,
    });
    this.#schedule(0);
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = this.#db.prepare<[string], Row>('SELECT * FROM job_queue WHERE id = ?').get(id);
    return row ? toRecord(row) : undefined;
  }

  async list(filter: JobListFilter = {}): Promise<JobRecord[]> {
    const rows = this.#db
      .prepare<{ kind: string | null; state: string | null }, Row>(
        `SELECT * FROM job_queue WHERE (@kind IS NULL OR kind = @kind) AND (@state IS NULL OR state = @state)
         ORDER BY created_at DESC, rowid DESC`,
      )
      .all({ kind: filter.kind ?? null, state: filter.state ?? null });
    return rows.map(toRecord);
  }

  async close(): Promise<void> {
    this.#shutdown.abort();
    clearTimeout(this.#timer);
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
    if (this.#closeDatabase && this.#db.open) this.#db.close();
  }

  /** Attempts that were running when the previous process died: failed, retried now if any are left. */
  #recoverInterrupted(): void {
    const now = this.#now();
    const error = JSON.stringify({ code: 'ABORTED', message: 'the archive stopped during the attempt' });
    this.#db
      .prepare(
        `UPDATE job_queue SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'retrying' END,
           error = ?, run_after = ?, updated_at = ? WHERE state = 'running'`,
      )
      .run(error, now, now);
  }

  /** Runs the pump after `delayMs`, unless it is already due sooner. */
  #schedule(delayMs: number): void {
    if (this.#shutdown.signal.aborted) return;
    clearTimeout(this.#timer);
    // The timer does not keep the process alive: the servers that enqueue jobs do.
    this.#timer = setTimeout(() => this.#pump(), Math.min(Math.max(delayMs, 0), 2 ** 31 - 1)).unref();
  }

  #pump(): void {
    if (this.#shutdown.signal.aborted) return;
    const now = this.#now();
    const claim = this.#db.prepare<[number, string, number, number, string], Row>(
      `UPDATE job_queue SET state = 'running', attempts = attempts + 1, updated_at = ?
       WHERE id IN (SELECT id FROM job_queue WHERE kind = ? AND state IN ('queued', 'retrying') AND run_after <= ?
                    ORDER BY run_after, created_at LIMIT ?)
         AND kind = ?
       RETURNING *`,
    );
    for (const [kind, worker] of this.#workers) {
      const free = worker.concurrency - worker.running;
      if (free <= 0) continue;
      for (const row of claim.all(now, kind, now, free, kind)) this.#start(worker, row);
    }
    const kinds = [...this.#workers.keys()];
    if (kinds.length === 0) return;
    const next = this.#db
      .prepare<string[], { due: number | null }>(
        `SELECT MIN(run_after) AS due FROM job_queue WHERE state IN ('queued', 'retrying')
           AND kind IN (${kinds.map(() => '?').join(', ')})`,
      )
      .get(...kinds);
    // A full worker is pumped again when one of its attempts ends.
    if (next?.due != null) this.#schedule(next.due - now);
  }

  #start(worker: Worker, row: Row): void {
    worker.running += 1;
    const running = runJobAttempt({
      writer: this.#writer,
      id: row.id,
      request: JSON.parse(row.request),
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
      backoffMs: row.backoff_ms,
      timeoutMs: row.timeout_ms,
      shutdown: this.#shutdown.signal,
      handler: worker.handler,
      isPermanent: worker.isPermanent,
      now: this.#now,
    })
      .then((outcome) => {
        if (outcome.status === 'dead')
          worker.onDeadLetter({ id: row.id, kind: worker.kind, error: outcome.error });
        // Closing is not the job's fault: the attempt is not counted and runs again at the next start.
        if (outcome.status === 'interrupted') {
          this.#db
            .prepare(
              `UPDATE job_queue SET state = 'retrying', attempts = attempts - 1, updated_at = ? WHERE id = ?`,
            )
            .run(this.#now(), row.id);
        }
      })
      .finally(() => {
        worker.running -= 1;
        this.#running.delete(running);
        this.#schedule(0);
      });
    this.#running.add(running);
  }

  readonly #writer: JobRecordWriter = {
    saveProgress: async (id, progress) => {
      this.#db
        .prepare('UPDATE job_queue SET progress = ?, updated_at = ? WHERE id = ?')
        .run(JSON.stringify(progress), this.#now(), id);
    },
    markSucceeded: async (id, result) => {
      this.#db
        .prepare(
          `UPDATE job_queue SET state = 'succeeded', result = ?, error = NULL, updated_at = ? WHERE id = ?`,
        )
        .run(result === undefined ? null : JSON.stringify(result), this.#now(), id);
    },
    markFailed: async (id, { state, error, retryAt }) => {
      this.#db
        .prepare('UPDATE job_queue SET state = ?, error = ?, run_after = ?, updated_at = ? WHERE id = ?')
        .run(state, JSON.stringify(error), retryAt, this.#now(), id);
    },
  };
}
