import { randomUUID } from 'node:crypto';
import { PacsError } from '@pacskit/dicom';
import PgBoss from 'pg-boss';
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

/** Any number: it only has to differ from the other advisory locks the archive takes. */
const recordsLockKey = 0x6a6f_6273;

/**
 * The job records (what `get`/`list` show, progress included) live beside pg-boss's own tables:
 * pg-boss keeps a job only while it schedules it and archives or deletes it afterwards, and has no
 * progress. Created under an advisory lock in one implicit transaction (a multi-statement simple
 * query), so processes starting together do not race on CREATE TABLE.
 */
const recordsSchema = `
SELECT pg_advisory_xact_lock(${recordsLockKey});
CREATE TABLE IF NOT EXISTS pacskit_job (
  id uuid PRIMARY KEY, kind text NOT NULL, state text NOT NULL, attempts integer NOT NULL,
  max_attempts integer NOT NULL, request jsonb NOT NULL, progress jsonb, result jsonb, error jsonb,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS pacskit_job_created ON pacskit_job (created_at DESC);
CREATE INDEX IF NOT EXISTS pacskit_job_state ON pacskit_job (state);
`;

interface Row {
  id: string;
  kind: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  request: unknown;
  progress: unknown;
  result: unknown;
  error: JobError | null;
  created_at: Date;
  updated_at: Date;
}

function toRecord(row: Row): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    request: row.request,
    state: row.state,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    ...(row.progress === null ? {} : { progress: row.progress }),
    ...(row.result === null ? {} : { result: row.result }),
    ...(row.error === null ? {} : { error: row.error }),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** What travels in a pg-boss job: the request and what an attempt needs to run it. */
interface BossJobData {
  /** Our record's id; the dead-letter copy pg-boss makes gets a new job id, so it travels here too. */
  id: string;
  request: unknown;
  backoffMs: number;
  timeoutMs: number;
}

export interface PgBossJobQueueOptions {
  connectionString: string;
  /** How often idle workers look for jobs (default 2 s; pg-boss's minimum is 0.5 s). */
  pollingIntervalSeconds?: number;
  /** pg-boss's connection pool size (default 4). */
  maxConnections?: number;
  /** pg-boss reports connection and maintenance errors here (it keeps running and retries). */
  onError?: (error: Error) => void;
}

const deadLetterQueue = (kind: string) => `${kind}-dead`;

/**
 * The scale-out job queue: pg-boss 10 (Node 20, PostgreSQL ≥ 13) on the archive's PostgreSQL.
 * pg-boss does what makes a shared queue hard — a job is handed to one worker of one process
 * (`FOR UPDATE SKIP LOCKED`), retried with exponential backoff and jitter, expired and retried when
 * the process running it dies, and copied to a dead-letter queue after its last attempt. Our
 * records table mirrors each job's state, attempts and progress for the admin routes.
 *
 * pg-boss counts retry delays in whole seconds: `backoffMs` is rounded up to at least 1 s.
 */
export class PgBossJobQueue implements JobQueue {
  readonly #boss: PgBoss;
  readonly #db: PgBoss.Db;
  readonly #pollingIntervalSeconds: number;
  readonly #queues = new Map<string, Promise<void>>();
  readonly #workerIds = new Map<string, string[]>();
  readonly #shutdown = new AbortController();

  private constructor(boss: PgBoss, pollingIntervalSeconds: number) {
    this.#boss = boss;
    this.#db = boss.getDb();
    this.#pollingIntervalSeconds = pollingIntervalSeconds;
  }

  /** Starts pg-boss (creating or migrating its schema, safely from several processes) and the records table. */
  static async open(options: PgBossJobQueueOptions): Promise<PgBossJobQueue> {
    const boss = new PgBoss({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 4,
      schedule: false,
      application_name: 'pacskit-archive-jobs',
    });
    // Without a listener, an 'error' event (a dropped connection) would throw and end the process.
    boss.on('error', options.onError ?? (() => undefined));
    await boss.start();
    const queue = new PgBossJobQueue(boss, options.pollingIntervalSeconds ?? 2);
    try {
      await queue.#db.executeSql(recordsSchema, []);
    } catch (error) {
      await boss.stop({ graceful: false, wait: true });
      throw error;
    }
    return queue;
  }

  async enqueue(kind: string, request: unknown, options: EnqueueOptions = {}): Promise<JobRecord> {
    if (!jobKindPattern.test(kind)) throw new PacsError('INVALID_ARGUMENT', 'invalid job kind');
    if (this.#shutdown.signal.aborted) throw new PacsError('UNAVAILABLE', 'the job queue is closed');
    const { maxAttempts, backoffMs, timeoutMs } = { ...defaultEnqueueOptions, ...options };
    await this.#ensureQueue(kind);
    const id = randomUUID();
    const { rows } = await this.#db.executeSql(
      `INSERT INTO pacskit_job (id, kind, state, attempts, max_attempts, request, created_at, updated_at)
       VALUES ($1, $2, 'queued', 0, $3, $4::jsonb, now(), now()) RETURNING *`,
      [id, kind, maxAttempts, JSON.stringify(request)],
    );
    const data: BossJobData = { id, request, backoffMs, timeoutMs };
    try {
      await this.#boss.send(kind, data, {
        id,
        retryLimit: maxAttempts - 1,
        retryDelay: Math.max(1, Math.ceil(backoffMs / 1000)),
        retryBackoff: true,
        // Past this, pg-boss takes the job for lost (its process died) and retries it elsewhere.
        expireInSeconds: Math.ceil(timeoutMs / 1000) + 30,
      });
    } catch (error) {
      await this.#db.executeSql('DELETE FROM pacskit_job WHERE id = $1', [id]);
      throw error;
    }
    // Workers of this process look now rather than at their next poll.
    for (const workerId of this.#workerIds.get(kind) ?? []) this.#boss.notifyWorker(workerId);
    return toRecord(rows[0] as Row);
  }

  async work(kind: string, handler: JobHandler, options: WorkOptions = {}): Promise<void> {
    if (this.#workerIds.has(kind))
      throw new PacsError('CONFLICT', `a handler for ${kind} is already registered`);
    await this.#ensureQueue(kind);
    const isPermanent = options.isPermanent ?? (() => false);
    const onDeadLetter = options.onDeadLetter ?? (() => undefined);
    const workOptions = {
      batchSize: 1,
      includeMetadata: true as const,
      pollingIntervalSeconds: this.#pollingIntervalSeconds,
    };
    const ids: string[] = [];
    this.#workerIds.set(kind, ids);
    // pg-boss 10 runs one batch at a time per worker: concurrency is that many workers.
    for (let i = 0; i < (options.concurrency ?? 2); i++) {
      ids.push(
        await this.#boss.work<BossJobData>(kind, workOptions, async ([job]) => {
          if (job) await this.#attempt(job, handler, isPermanent, onDeadLetter);
        }),
      );
    }
    // pg-boss copies a job here after its last attempt, including one whose process died during it
    // (expired): the record is marked dead if no attempt of ours got to say so.
    await this.#boss.work<BossJobData>(deadLetterQueue(kind), workOptions, async ([job]) => {
      if (!job) return;
      const error = { code: 'TIMEOUT', message: 'the last attempt did not finish' };
      const { rows } = await this.#db.executeSql(
        `UPDATE pacskit_job SET state = 'dead', updated_at = now(), error = $2::jsonb
         WHERE id = $1 AND state NOT IN ('dead', 'succeeded') RETURNING id`,
        [job.data.id, JSON.stringify(error)],
      );
      if (rows.length > 0) onDeadLetter({ id: job.data.id, kind, error });
    });
  }

  async get(id: string): Promise<JobRecord | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const { rows } = await this.#db.executeSql('SELECT * FROM pacskit_job WHERE id = $1', [id]);
    return rows[0] ? toRecord(rows[0] as Row) : undefined;
  }

  async list(filter: JobListFilter = {}): Promise<JobRecord[]> {
    const { rows } = await this.#db.executeSql(
      `SELECT * FROM pacskit_job WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR state = $2)
       ORDER BY created_at DESC, id`,
      [filter.kind ?? null, filter.state ?? null],
    );
    return (rows as Row[]).map(toRecord);
  }

  async close(): Promise<void> {
    if (this.#shutdown.signal.aborted) return;
    // Running attempts see their signal aborted, end, and are retried by another process or start.
    this.#shutdown.abort();
    await this.#boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }

  #ensureQueue(kind: string): Promise<void> {
    let created = this.#queues.get(kind);
    if (!created) {
      created = (async () => {
        // createQueue is idempotent (INSERT … ON CONFLICT DO NOTHING), but two processes starting
        // at once can deadlock in it (PostgreSQL then aborts one of them): that one tries again.
        for (let attempt = 1; ; attempt++) {
          try {
            await this.#boss.createQueue(deadLetterQueue(kind));
            await this.#boss.createQueue(kind, { name: kind, deadLetter: deadLetterQueue(kind) });
            return;
          } catch (error) {
            if (attempt >= 5 || (error as { code?: unknown }).code !== '40P01') throw error;
          }
        }
      })();
      created.catch(() => this.#queues.delete(kind));
      this.#queues.set(kind, created);
    }
    return created;
  }

  async #attempt(
    job: PgBoss.JobWithMetadata<BossJobData>,
    handler: JobHandler,
    isPermanent: (error: unknown) => boolean,
    onDeadLetter: NonNullable<WorkOptions['onDeadLetter']>,
  ): Promise<void> {
    // pg-boss counts retries from 0; its retry_count is bumped each time it hands the job out again.
    const attempt = job.retryCount + 1;
    await this.#db.executeSql(
      `UPDATE pacskit_job SET state = 'running', attempts = $2, updated_at = now() WHERE id = $1`,
      [job.id, attempt],
    );
    const outcome = await runJobAttempt({
      writer: this.#writer,
      id: job.id,
      request: job.data.request,
      attempt,
      maxAttempts: job.retryLimit + 1,
      backoffMs: job.data.backoffMs,
      timeoutMs: job.data.timeoutMs,
      shutdown: this.#shutdown.signal,
      handler,
      isPermanent,
    });
    switch (outcome.status) {
      case 'succeeded':
        return;
      case 'dead':
        onDeadLetter({ id: job.id, kind: job.name, error: outcome.error });
        // Resolving completes the pg-boss job, so a permanent failure is not retried; a last
        // attempt's failure is thrown so that pg-boss records it as failed.
        if (outcome.permanent) return;
        throw new PacsError('UNAVAILABLE', outcome.error.message);
      case 'retry':
        throw new PacsError('UNAVAILABLE', outcome.error.message);
      case 'interrupted':
        await this.#db.executeSql(
          `UPDATE pacskit_job SET state = 'retrying', updated_at = now() WHERE id = $1 AND state = 'running'`,
          [job.id],
        );
        throw new PacsError('ABORTED', 'the archive stopped during the attempt');
      default:
        return outcome satisfies never;
    }
  }

  readonly #writer: JobRecordWriter = {
    saveProgress: async (id, progress) => {
      await this.#db.executeSql(
        'UPDATE pacskit_job SET progress = $2::jsonb, updated_at = now() WHERE id = $1',
        [id, JSON.stringify(progress)],
      );
    },
    markSucceeded: async (id, result) => {
      await this.#db.executeSql(
        `UPDATE pacskit_job SET state = 'succeeded', result = $2::jsonb, error = NULL, updated_at = now()
         WHERE id = $1`,
        [id, result === undefined ? null : JSON.stringify(result)],
      );
    },
    markFailed: async (id, { state, error }) => {
      await this.#db.executeSql(
        'UPDATE pacskit_job SET state = $2, error = $3::jsonb, updated_at = now() WHERE id = $1',
        [id, state, JSON.stringify(error)],
      );
    },
  };
}
