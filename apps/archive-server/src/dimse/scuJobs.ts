import { PacsError, isPacsError } from '@pacskit/dicom';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { z } from 'zod';
import type { JobContext, JobQueue, JobRecord } from '../jobs/JobQueue.js';
import type { AeTable } from './aeTable.js';
import type { DimseLogger } from './dimseLogger.js';
import { silentDimseLogger } from './dimseLogger.js';
import type { DimseServices } from './dimseServices.js';
import {
  type ScuContext,
  type SubOperationProgress,
  echoRemote,
  findRemote,
  getFromRemote,
  moveFromRemote,
  storeToRemote,
} from './dimseScu.js';

const uid = z
  .string()
  .regex(/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/)
  .max(64);

/** What `POST /api/dicom/jobs` takes. */
export const scuJobRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('echo'), remoteAE: z.string().min(1).max(16) }),
  z.object({
    kind: z.literal('find'),
    remoteAE: z.string().min(1).max(16),
    level: z.enum(['PATIENT', 'STUDY', 'SERIES', 'IMAGE']),
    /** Matching and return keys by DICOM JSON tag, e.g. {"00100020": {"vr": "LO", "Value": ["P1"]}}. */
    keys: z.record(
      z.string().regex(/^[0-9A-Fa-f]{8}$/),
      z.object({ vr: z.string(), Value: z.array(z.unknown()).optional() }),
    ),
  }),
  z.object({
    kind: z.literal('move'),
    remoteAE: z.string().min(1).max(16),
    studyInstanceUID: uid,
    seriesInstanceUID: uid.optional(),
  }),
  z.object({
    kind: z.literal('get'),
    remoteAE: z.string().min(1).max(16),
    studyInstanceUID: uid,
    seriesInstanceUID: uid.optional(),
  }),
  z.object({
    kind: z.literal('store'),
    remoteAE: z.string().min(1).max(16),
    studyInstanceUID: uid,
    seriesInstanceUID: uid.optional(),
  }),
]);

export type ScuJobRequest = z.infer<typeof scuJobRequestSchema>;

export interface ScuJob {
  id: string;
  request: ScuJobRequest;
  /** queued → running → succeeded; a failed attempt → retrying → running …; → dead (on the dead-letter list). */
  state: 'queued' | 'running' | 'retrying' | 'succeeded' | 'dead';
  attempts: number;
  progress?: SubOperationProgress;
  /** C-FIND matches. */
  matches?: DicomJsonDataset[];
  error?: { code: string; message: string };
  createdAt: string;
  updatedAt: string;
}

export interface ScuJobsOptions {
  /** Where the jobs wait, run and are kept (SqliteJobQueue embedded, PgBossJobQueue scale-out). */
  queue: JobQueue;
  context: ScuContext;
  aeTable: AeTable;
  services: DimseServices;
  maxAttempts?: number;
  /** First retry delay; doubles each attempt (exponential backoff). */
  backoffMs?: number;
  /** Jobs run at once by this process (default 2). */
  concurrency?: number;
  logger?: DimseLogger;
}

/** What a job's handler resolves with, kept as the job record's result. */
interface ScuJobResult {
  matches?: DicomJsonDataset[];
}

/**
 * The archive as a DIMSE client of other PACS (issue 4, SCU): echo, query, retrieve into this
 * archive (C-MOVE with us as destination, or C-GET) and send studies, as background jobs on the
 * archive's JobQueue (issue 9): persisted with their progress, retried with exponential backoff, on
 * the dead-letter list after the last attempt, and run once by one of the processes sharing the queue.
 */
export class ScuJobs {
  /** The queue kind of every SCU job. */
  static readonly kind = 'dimse-scu';
  readonly #options: Required<Omit<ScuJobsOptions, 'logger'>> & { logger: DimseLogger };

  constructor(options: ScuJobsOptions) {
    this.#options = {
      maxAttempts: 3,
      backoffMs: 1000,
      concurrency: 2,
      logger: silentDimseLogger,
      ...options,
    };
  }

  /** Starts running SCU jobs in this process (queued ones from before a restart included). */
  async start(): Promise<void> {
    const { queue, concurrency, logger } = this.#options;
    await queue.work(ScuJobs.kind, (request, context) => this.#attempt(request, context), {
      concurrency,
      // No retry finds an AE that is not in the table or mends a bad request.
      isPermanent: (error) => isPacsError(error, 'UNKNOWN_AE') || isPacsError(error, 'INVALID_ARGUMENT'),
      onDeadLetter: (job) => logger.warn({ job: job.id, code: job.error.code }, 'DIMSE job dead-lettered'),
    });
  }

  async submit(input: unknown): Promise<ScuJob> {
    const request = parseRequest(input);
    const { queue, maxAttempts, backoffMs } = this.#options;
    // An attempt is aborted after 10 minutes (a C-MOVE of a large study stays well within it).
    return toScuJob(
      await queue.enqueue(ScuJobs.kind, request, { maxAttempts, backoffMs, timeoutMs: 10 * 60_000 }),
    );
  }

  async get(id: string): Promise<ScuJob | undefined> {
    const record = await this.#options.queue.get(id);
    return record?.kind === ScuJobs.kind ? toScuJob(record) : undefined;
  }

  /** Newest first. */
  async list(): Promise<ScuJob[]> {
    return (await this.#options.queue.list({ kind: ScuJobs.kind })).map(toScuJob);
  }

  async deadLetters(): Promise<ScuJob[]> {
    return (await this.#options.queue.list({ kind: ScuJobs.kind, state: 'dead' })).map(toScuJob);
  }

  async #attempt(input: unknown, job: JobContext): Promise<ScuJobResult> {
    const { context, aeTable, services } = this.#options;
    const request = parseRequest(input);
    const remote = await aeTable.lookup(request.remoteAE);
    if (!remote) throw new PacsError('UNKNOWN_AE', 'remote AE not in the AE table');
    const signal = job.signal;
    // Progress is persisted in order: each write waits for the one before.
    let progressWritten: Promise<void> = Promise.resolve();
    const onProgress = (progress: SubOperationProgress) => {
      progressWritten = progressWritten.then(() => job.reportProgress(progress)).catch(() => undefined);
    };
    const finish = async (progress: SubOperationProgress): Promise<ScuJobResult> => {
      await progressWritten;
      await job.reportProgress(progress);
      return {};
    };
    switch (request.kind) {
      case 'echo':
        await echoRemote({ context, remote, signal });
        return {};
      case 'find':
        return {
          matches: await findRemote({
            context,
            remote,
            level: request.level,
            keys: request.keys as DicomJsonDataset,
            signal,
          }),
        };
      case 'move':
        return finish(
          await moveFromRemote({
            context,
            remote,
            destinationAE: context.callingAE,
            studyInstanceUID: request.studyInstanceUID,
            ...(request.seriesInstanceUID ? { seriesInstanceUID: request.seriesInstanceUID } : {}),
            signal,
            onProgress,
          }),
        );
      case 'get':
        return finish(
          await getFromRemote({
            context,
            remote,
            services,
            studyInstanceUID: request.studyInstanceUID,
            ...(request.seriesInstanceUID ? { seriesInstanceUID: request.seriesInstanceUID } : {}),
            signal,
            onProgress,
          }),
        );
      case 'store': {
        const instances = await services.listInstances({
          level: request.seriesInstanceUID ? 'SERIES' : 'STUDY',
          studyInstanceUID: request.studyInstanceUID,
          ...(request.seriesInstanceUID ? { seriesInstanceUID: request.seriesInstanceUID } : {}),
          signal,
        });
        if (instances.length === 0)
          throw new PacsError('NOT_FOUND', 'no such study or series in this archive');
        return finish(await storeToRemote({ context, remote, services, instances, signal, onProgress }));
      }
      default:
        return request satisfies never;
    }
  }
}

function parseRequest(input: unknown): ScuJobRequest {
  const parsed = scuJobRequestSchema.safeParse(input);
  if (!parsed.success) {
    throw new PacsError('INVALID_ARGUMENT', 'invalid DIMSE job', {
      details: {
        issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
      },
    });
  }
  return parsed.data;
}

/** The admin routes' job shape (public contract), from the queue's record. */
function toScuJob(record: JobRecord): ScuJob {
  const result = record.result as ScuJobResult | undefined;
  return {
    id: record.id,
    request: record.request as ScuJobRequest,
    state: record.state,
    attempts: record.attempts,
    ...(record.progress === undefined ? {} : { progress: record.progress as SubOperationProgress }),
    ...(result?.matches ? { matches: result.matches } : {}),
    ...(record.error ? { error: record.error } : {}),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
