import { randomUUID } from 'node:crypto';
import { PacsError } from '@pacskit/dicom';
import type Database from 'better-sqlite3';
import { createAccessionNumberFormat } from './accessionNumber.js';
import type { SrStudyContext } from './srDocument.js';
import { createLatencyRecorder } from './createLatencyRecorder.js';
import { createOrderService } from './createOrderService.js';
import { createReportService } from './createReportService.js';
import { createWebhookDispatcher } from './createWebhookDispatcher.js';
import type { ScheduledProcedureStepSink } from './ScheduledProcedureStepSink.js';
import { SqliteWorkflowStore } from './sqlite/SqliteWorkflowStore.js';
import type { WorkflowStore } from './WorkflowStore.js';
import type { AnnotationRecord, ReportRecord } from './WorkflowRecords.js';

export interface WorkflowConfig {
  /** Accession number pattern (default `ACC{YYYY}{MM}{DD}{SEQ:4}`). */
  accessionNumberPattern?: string;
  /** Hours between a final signature and the report's release to patients (default 0). */
  patientReleaseEmbargoHours?: number;
  webhookMaxAttempts?: number;
  webhookBaseDelayMs?: number;
}

export interface WorkflowOptions {
  db?: Database.Database;
  store?: WorkflowStore;
  clock?: { now(): number };
  config?: WorkflowConfig;
  sink?: ScheduledProcedureStepSink;
  storeInstance?: (bytes: Uint8Array) => Promise<void>;
  studyContext?: (studyInstanceUID: string) => Promise<SrStudyContext | undefined>;
  /** After a report is final or amended, e.g. `(r) => hl7.sendOru(r, order)`; failures are ignored here. */
  onReportFinal?: (report: ReportRecord) => Promise<void>;
  fetch?: typeof fetch;
}

/** A stored instance as the workflow hears about it (from the ingest pipeline's onStored). */
export interface StoredInstanceEvent {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  accessionNumber?: string;
  modality?: string;
  bytes: number;
  /** True for the first instance of a new study (emits `study.received`). */
  newStudy?: boolean;
}

/** The clinical workflow: orders, reports, annotations, webhooks and analytics over one store. */
export function createWorkflow(options: WorkflowOptions) {
  const store =
    options.store ??
    (options.db
      ? new SqliteWorkflowStore(options.db)
      : (() => {
          throw new PacsError('INVALID_ARGUMENT', 'createWorkflow needs a db or a store');
        })());
  const clock = options.clock ?? { now: () => Date.now() };
  const config = options.config ?? {};
  const webhooks = createWebhookDispatcher({
    store,
    clock,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(config.webhookMaxAttempts ? { maxAttempts: config.webhookMaxAttempts } : {}),
    ...(config.webhookBaseDelayMs ? { baseDelayMs: config.webhookBaseDelayMs } : {}),
  });
  const orders = createOrderService({
    store,
    clock,
    accessionFormat: createAccessionNumberFormat(config.accessionNumberPattern ?? 'ACC{YYYY}{MM}{DD}{SEQ:4}'),
    ...(options.sink ? { sink: options.sink } : {}),
  });
  const reports = createReportService({
    store,
    clock,
    orders,
    webhooks,
    ...(options.storeInstance ? { storeInstance: options.storeInstance } : {}),
    ...(options.studyContext ? { studyContext: options.studyContext } : {}),
    ...(options.onReportFinal ? { onReportFinal: options.onReportFinal } : {}),
    ...(config.patientReleaseEmbargoHours !== undefined
      ? { patientReleaseEmbargoHours: config.patientReleaseEmbargoHours }
      : {}),
  });
  const latency = createLatencyRecorder();

  const annotations = {
    async save(
      input: Omit<AnnotationRecord, 'id' | 'createdAt' | 'updatedAt'> & { id?: string },
    ): Promise<AnnotationRecord> {
      const at = clock.now();
      const existing = input.id ? await store.findAnnotation(input.id) : undefined;
      if (input.id !== undefined && (!existing || existing.userId !== input.userId)) {
        throw new PacsError('NOT_FOUND', 'no such annotation');
      }
      const record: AnnotationRecord = {
        ...input,
        id: existing?.id ?? randomUUID(),
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      };
      await store.saveAnnotation(record);
      return record;
    },
    list: (filter: { studyInstanceUID: string; sopInstanceUID?: string; userId?: string }) =>
      store.listAnnotations(filter),
    find: (id: string) => store.findAnnotation(id),
    async remove(id: string, userId: string): Promise<void> {
      const existing = await store.findAnnotation(id);
      if (!existing || existing.userId !== userId) throw new PacsError('NOT_FOUND', 'no such annotation');
      await store.deleteAnnotation(id);
    },
  };

  return {
    store,
    orders,
    reports,
    annotations,
    webhooks,
    latency,

    /** Wire to the ingest pipeline's onStored: moves orders, feeds analytics, notifies. */
    async onInstanceStored(event: StoredInstanceEvent): Promise<void> {
      await store.recordIngest({
        sopInstanceUID: event.sopInstanceUID,
        studyInstanceUID: event.studyInstanceUID,
        seriesInstanceUID: event.seriesInstanceUID,
        modality: event.modality,
        bytes: event.bytes,
        at: clock.now(),
      });
      await orders.onInstanceStored({
        studyInstanceUID: event.studyInstanceUID,
        ...(event.accessionNumber ? { accessionNumber: event.accessionNumber } : {}),
      });
      if (event.newStudy) {
        await webhooks.emit('study.received', { studyInstanceUID: event.studyInstanceUID });
      }
    },

    onMppsStatus: orders.onMppsStatus,

    /** `GET /api/v1/analytics` (issue 5): totals, modalities, daily volume and growth, latencies. */
    async analytics(from: number, to: number) {
      const daily = await store.dailyVolume(from, to);
      let cumulative = 0;
      const storageGrowth = daily.map((d) => {
        cumulative += d.bytes;
        return { day: d.day, bytes: cumulative };
      });
      return {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        totals: await store.ingestTotals(from, to),
        modalities: await store.modalityDistribution(from, to),
        dailyVolume: daily,
        storageGrowth,
        latency: { query: latency.summary('query'), retrieve: latency.summary('retrieve') },
      };
    },
  };
}

export type Workflow = ReturnType<typeof createWorkflow>;
