import { randomUUID } from 'node:crypto';
import { PacsError, isPacsError } from '@pacskit/dicom';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { z } from 'zod';
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
  /** queued → running → succeeded, or → dead (every attempt failed: on the dead-letter list). */
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
  context: ScuContext;
  aeTable: AeTable;
  services: DimseServices;
  maxAttempts?: number;
  /** First retry delay; doubles each attempt (exponential backoff). */
  backoffMs?: number;
  logger?: DimseLogger;
}

/**
 * The archive as a DIMSE client of other PACS (issue 4, SCU): echo, query, retrieve into this
 * archive (C-MOVE with us as destination, or C-GET) and send studies, as background jobs with progress,
 * retries with exponential backoff and a dead-letter list. Jobs live in memory (a restart forgets them).
 */
export class ScuJobs {
  readonly #jobs = new Map<string, ScuJob>();
  readonly #options: Required<Omit<ScuJobsOptions, 'logger'>> & { logger: DimseLogger };
  readonly #running = new Set<Promise<void>>();
  readonly #shutdown = new AbortController();

  constructor(options: ScuJobsOptions) {
    this.#options = { maxAttempts: 3, backoffMs: 1000, logger: silentDimseLogger, ...options };
  }

  submit(input: unknown): ScuJob {
    const parsed = scuJobRequestSchema.safeParse(input);
    if (!parsed.success) {
      throw new PacsError('INVALID_ARGUMENT', 'invalid DIMSE job', {
        details: {
          issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
        },
      });
    }
    const now = new Date().toISOString();
    const job: ScuJob = {
      id: randomUUID(),
      request: parsed.data,
      state: 'queued',
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    };
    this.#jobs.set(job.id, job);
    const running = this.#run(job).finally(() => this.#running.delete(running));
    this.#running.add(running);
    return job;
  }

  get(id: string): ScuJob | undefined {
    return this.#jobs.get(id);
  }

  list(): ScuJob[] {
    return [...this.#jobs.values()];
  }

  deadLetters(): ScuJob[] {
    return this.list().filter((job) => job.state === 'dead');
  }

  /** Resolves when every submitted job has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  async close(): Promise<void> {
    this.#shutdown.abort();
    await this.idle();
  }

  async #run(job: ScuJob): Promise<void> {
    const { maxAttempts, backoffMs, logger } = this.#options;
    for (;;) {
      job.attempts += 1;
      job.state = 'running';
      job.updatedAt = new Date().toISOString();
      try {
        await this.#attempt(job);
        job.state = 'succeeded';
        delete job.error;
        job.updatedAt = new Date().toISOString();
        return;
      } catch (error) {
        job.error = isPacsError(error)
          ? { code: error.code, message: error.message }
          : { code: 'INTERNAL', message: 'unexpected failure' };
        job.updatedAt = new Date().toISOString();
        const permanent = isPacsError(error, 'UNKNOWN_AE') || isPacsError(error, 'INVALID_ARGUMENT');
        if (permanent || job.attempts >= maxAttempts || this.#shutdown.signal.aborted) {
          job.state = 'dead';
          logger.warn(
            { job: job.id, kind: job.request.kind, remoteAE: job.request.remoteAE, code: job.error.code },
            'DIMSE job dead-lettered',
          );
          return;
        }
        job.state = 'retrying';
        await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (job.attempts - 1)));
      }
    }
  }

  async #attempt(job: ScuJob): Promise<void> {
    const { context, aeTable, services } = this.#options;
    const request = job.request;
    const remote = await aeTable.lookup(request.remoteAE);
    if (!remote) throw new PacsError('UNKNOWN_AE', 'remote AE not in the AE table');
    const signal = AbortSignal.any([this.#shutdown.signal, AbortSignal.timeout(10 * 60_000)]);
    const onProgress = (progress: SubOperationProgress) => {
      job.progress = progress;
      job.updatedAt = new Date().toISOString();
    };
    switch (request.kind) {
      case 'echo':
        return echoRemote({ context, remote, signal });
      case 'find':
        job.matches = await findRemote({
          context,
          remote,
          level: request.level,
          keys: request.keys as DicomJsonDataset,
          signal,
        });
        return;
      case 'move':
        job.progress = await moveFromRemote({
          context,
          remote,
          destinationAE: context.callingAE,
          studyInstanceUID: request.studyInstanceUID,
          ...(request.seriesInstanceUID ? { seriesInstanceUID: request.seriesInstanceUID } : {}),
          signal,
          onProgress,
        });
        return;
      case 'get':
        job.progress = await getFromRemote({
          context,
          remote,
          services,
          studyInstanceUID: request.studyInstanceUID,
          ...(request.seriesInstanceUID ? { seriesInstanceUID: request.seriesInstanceUID } : {}),
          signal,
          onProgress,
        });
        return;
      case 'store': {
        const instances = await services.listInstances({
          level: request.seriesInstanceUID ? 'SERIES' : 'STUDY',
          studyInstanceUID: request.studyInstanceUID,
          ...(request.seriesInstanceUID ? { seriesInstanceUID: request.seriesInstanceUID } : {}),
          signal,
        });
        if (instances.length === 0)
          throw new PacsError('NOT_FOUND', 'no such study or series in this archive');
        job.progress = await storeToRemote({ context, remote, services, instances, signal, onProgress });
        return;
      }
      default:
        return request satisfies never;
    }
  }
}
