import { isDeepStrictEqual } from 'node:util';
import { isPacsError } from '@pacskit/dicom';
import type { AccessStore } from '../access/AccessStore.js';
import type { AuditEventInput, AuditRecord } from '../audit/AuditEvent.js';
import type { AuditStore } from '../audit/AuditStore.js';
import type { ManagedAeTable } from '../dimse/dimseAdminRoutes.js';
import type {
  IngestStatRecord,
  OrderHistoryEntry,
  OrderRecord,
  ReportRecord,
  ReportVersionRecord,
  WebhookDeliveryRecord,
} from '../workflow/WorkflowRecords.js';
import type { WorkflowStore } from '../workflow/WorkflowStore.js';
import type { WorklistStore } from '../worklist/WorklistStore.js';

/** The stores beside the index, as `openStores` opens them in either mode. */
export interface ArchiveStores {
  access: AccessStore;
  audit: AuditStore;
  workflow: WorkflowStore;
  worklist: WorklistStore;
  aeTable: ManagedAeTable;
}

export const storeRecordKinds = [
  'sequences',
  'users',
  'apiKeys',
  'grants',
  'shareLinks',
  'orders',
  'reports',
  'reportTemplates',
  'annotations',
  'webhooks',
  'webhookDeliveries',
  'scheduledSteps',
  'performedSteps',
  'aeTitles',
  'ingestStats',
  'auditEvents',
] as const;

export type StoreRecordKind = (typeof storeRecordKinds)[number];

/**
 * Per kind: `copied` (new in the target), `updated` (the target had an older state: a later
 * status, revocation, report version or history entry was applied, or a counter raised),
 * `skipped` (equal already, or a counter the target has already taken further), `failed`.
 */
export interface StoreCounts {
  copied: number;
  updated: number;
  skipped: number;
  failed: number;
}

/** A record that failed, named by kind and its own id (never by patient attributes). */
export interface StoreFailure {
  kind: StoreRecordKind;
  id: string;
  reason: 'TARGET_CONFLICT' | 'RECORD_MISMATCH' | 'TARGET_ERROR';
  detail: string;
}

export interface StoreMigrationSummary {
  counts: Record<StoreRecordKind, StoreCounts>;
  failures: StoreFailure[];
  /** True when `signal` stopped the run before every record was visited: run it again to finish. */
  interrupted: boolean;
}

export interface MigrateStoresOptions {
  source: ArchiveStores;
  target: ArchiveStores;
  /** The source's studies (annotations are listed per study). */
  studyInstanceUIDs: () => AsyncIterable<string>;
  /** Stops after the current record. */
  signal?: AbortSignal;
}

/** The target holds a different record that the source's would collide with; the message is patient-free. */
class TargetConflict extends Error {}

/** How one kind of record is found, inserted and brought up to date in the target. */
interface RecordCopy<T> {
  id(record: T): string;
  find(record: T): Promise<T | undefined>;
  insert(record: T): Promise<void>;
  /**
   * Applies the source's newer state to `existing`; false when the ports cannot (the two differ in
   * a way that is not a later state of the same record).
   */
  update?(record: T, existing: T): Promise<boolean>;
}

/** Orders and reports travel with their history and versions: those are part of what is compared. */
interface OrderWithHistory {
  order: OrderRecord;
  history: OrderHistoryEntry[];
}
interface ReportWithVersions {
  report: ReportRecord;
  versions: ReportVersionRecord[];
}

const deliveryStatuses: ReadonlyArray<WebhookDeliveryRecord['status']> = ['pending', 'delivered', 'dead'];
const pageSize = 500;
const auditPage = 1000;
const ingestPage = 500;

/**
 * Copies the access, workflow, worklist, AE-table and audit records through their ports. Each
 * record is looked up in the target by id: absent → inserted and read back; equal → skipped;
 * older → the later state applied through the port's own update (status, revocation, new report
 * versions and order history) and read back; otherwise reported as a conflict and left alone.
 * Audit events are appended, in chain order, when their id is not in the target yet: the target
 * chains them anew (its own hashes), the source chain stays the evidence of the original order.
 * Counters (accession numbers) are raised to the source's values first, never lowered. Ingest
 * statistics are added when the target has none for that instance. Not copied, because no port
 * lists them: refresh tokens and revoked token ids (users sign in again).
 */
export async function migrateStores(options: MigrateStoresOptions): Promise<StoreMigrationSummary> {
  const { source, target } = options;
  const counts = Object.fromEntries(
    storeRecordKinds.map((kind) => [kind, { copied: 0, updated: 0, skipped: 0, failed: 0 }]),
  ) as Record<StoreRecordKind, StoreCounts>;
  const failures: StoreFailure[] = [];
  const fail = (failure: StoreFailure): void => {
    counts[failure.kind].failed++;
    failures.push(failure);
  };

  async function copyAll<T>(
    kind: StoreRecordKind,
    records: Iterable<T> | AsyncIterable<T>,
    copy: RecordCopy<T>,
  ): Promise<void> {
    for await (const record of records) {
      if (options.signal?.aborted) return;
      const id = copy.id(record);
      try {
        const existing = await copy.find(record);
        if (existing !== undefined && isDeepStrictEqual(existing, record)) {
          counts[kind].skipped++;
          continue;
        }
        if (existing === undefined) await copy.insert(record);
        else if (!(await copy.update?.(record, existing))) {
          fail({
            kind,
            id,
            reason: 'TARGET_CONFLICT',
            detail: 'the target holds a different record with this id',
          });
          continue;
        }
        const stored = await copy.find(record);
        if (!isDeepStrictEqual(stored, record)) {
          fail({
            kind,
            id,
            reason: 'RECORD_MISMATCH',
            detail: 'the record read back differs from the source',
          });
          continue;
        }
        counts[kind][existing === undefined ? 'copied' : 'updated']++;
      } catch (error) {
        if (error instanceof TargetConflict)
          fail({ kind, id, reason: 'TARGET_CONFLICT', detail: error.message });
        else fail({ kind, id, reason: 'TARGET_ERROR', detail: errorCode(error) });
      }
    }
  }

  // Counters first: a run stopped part way must not leave the target able to hand out an accession
  // number the source already gave to an order the run has not copied yet.
  await copySequences(source.workflow, target.workflow, counts.sequences, fail, options.signal);

  const from = source.access;
  const to = target.access;
  await copyAll('users', await from.listUsers(), {
    id: (user) => user.id,
    find: (user) => to.findUserById(user.id),
    insert: async (user) => {
      // A scale-out node started before the migration made its own `admin`: say so, not just
      // "unique violation".
      if (await to.findUserByUsername(user.username))
        throw new TargetConflict('the target has another user with this username');
      await to.insertUser(user);
    },
    update: async (user) => {
      await to.updateUser(user);
      return true;
    },
  });
  await copyAll('apiKeys', await from.listApiKeys(), {
    id: (key) => key.id,
    find: (key) => to.findApiKey(key.id),
    insert: (key) => to.insertApiKey(key),
    update: async (key, existing) =>
      key.revokedAt !== undefined &&
      existing.revokedAt === undefined &&
      isDeepStrictEqual({ ...existing, revokedAt: key.revokedAt }, key) &&
      to.revokeApiKey(key.id, key.revokedAt),
  });
  await copyAll('grants', await from.listGrants({}), {
    id: (grant) => grant.id,
    find: (grant) => to.findGrant(grant.id),
    insert: (grant) => to.insertGrant(grant),
    update: async (grant, existing) =>
      grant.revokedAt !== undefined &&
      existing.revokedAt === undefined &&
      isDeepStrictEqual({ ...existing, revokedAt: grant.revokedAt, revokedBy: grant.revokedBy }, grant) &&
      to.revokeGrant(grant.id, grant.revokedAt, grant.revokedBy ?? ''),
  });
  await copyAll('shareLinks', await from.listShareLinks({}), {
    id: (link) => link.id,
    find: (link) => to.findShareLink(link.id),
    insert: (link) => to.insertShareLink(link),
    update: async (link, existing) => {
      const { revokedAt, useCount } = link;
      if (!isDeepStrictEqual({ ...existing, revokedAt, useCount }, link) || useCount < existing.useCount)
        return false;
      if (revokedAt !== undefined && existing.revokedAt === undefined)
        await to.revokeShareLink(link.id, revokedAt);
      for (let uses = existing.useCount; uses < useCount; uses++) await to.countShareLinkUse(link.id);
      return true;
    },
  });

  const workflow = target.workflow;
  await copyAll('orders', sourceOrders(source.workflow), {
    id: ({ order }) => order.id,
    find: async ({ order }) => {
      const found = await workflow.findOrder(order.id);
      return found && { order: found, history: await workflow.orderHistory(order.id) };
    },
    insert: async ({ order, history }) => {
      const [first, ...rest] = history;
      if (!first) throw new Error('an order without history');
      await workflow.insertOrder(order, first);
      if (rest.length > 0) await workflow.updateOrder(order, rest);
    },
    // Later history entries are appended; the status and body follow.
    update: async ({ order, history }, existing) => {
      if (!isDeepStrictEqual(history.slice(0, existing.history.length), existing.history)) return false;
      await workflow.updateOrder(order, history.slice(existing.history.length));
      return true;
    },
  });
  const reports: ReportWithVersions[] = [];
  for (const report of await source.workflow.listReports({}))
    reports.push({ report, versions: await source.workflow.reportVersions(report.id) });
  await copyAll('reports', reports, {
    id: ({ report }) => report.id,
    find: async ({ report }) => {
      const found = await workflow.findReport(report.id);
      return found && { report: found, versions: await workflow.reportVersions(report.id) };
    },
    insert: async ({ report, versions }) => {
      if (versions.length === 0) throw new Error('a report without versions');
      for (const version of versions) await workflow.saveReport(report, version);
    },
    // Later versions (addenda, amendments) are saved; earlier ones never change.
    update: async ({ report, versions }, existing) => {
      if (!isDeepStrictEqual(versions.slice(0, existing.versions.length), existing.versions)) return false;
      for (const version of versions.slice(existing.versions.length))
        await workflow.saveReport(report, version);
      await workflow.updateReport(report);
      return true;
    },
  });
  await copyAll('reportTemplates', await source.workflow.listTemplates({}), {
    id: (template) => template.id,
    find: (template) => workflow.findTemplate(template.id),
    insert: (template) => workflow.insertTemplate(template),
  });
  await copyAll('annotations', sourceAnnotations(source.workflow, options.studyInstanceUIDs()), {
    id: (annotation) => annotation.id,
    find: (annotation) => workflow.findAnnotation(annotation.id),
    insert: (annotation) => workflow.saveAnnotation(annotation),
    update: async (annotation) => {
      await workflow.saveAnnotation(annotation);
      return true;
    },
  });
  // Webhook subscriptions are few: listed again for every lookup.
  await copyAll('webhooks', await source.workflow.listWebhooks(), {
    id: (webhook) => webhook.id,
    find: async (webhook) => (await workflow.listWebhooks()).find((w) => w.id === webhook.id),
    insert: (webhook) => workflow.insertWebhook(webhook),
  });
  // Deliveries can be many and are only listed by status: looked up in one listing, kept current
  // as they are written, and read back together at the end.
  const deliveriesIn = async (store: WorkflowStore) =>
    new Map(
      (await Promise.all(deliveryStatuses.map((status) => store.listDeliveries(status))))
        .flat()
        .map((delivery) => [delivery.id, delivery]),
    );
  const sourceDeliveries = await deliveriesIn(source.workflow);
  const targetDeliveries = await deliveriesIn(workflow);
  const writtenDeliveries = new Map<string, 'copied' | 'updated'>();
  await copyAll('webhookDeliveries', sourceDeliveries.values(), {
    id: (delivery) => delivery.id,
    find: async (delivery) => targetDeliveries.get(delivery.id),
    insert: async (delivery) => {
      await workflow.insertDelivery(delivery);
      targetDeliveries.set(delivery.id, delivery);
      writtenDeliveries.set(delivery.id, 'copied');
    },
    update: async (delivery) => {
      await workflow.updateDelivery(delivery);
      targetDeliveries.set(delivery.id, delivery);
      writtenDeliveries.set(delivery.id, 'updated');
      return true;
    },
  });
  if (writtenDeliveries.size > 0) {
    const readBack = await deliveriesIn(workflow);
    for (const [id, outcome] of writtenDeliveries) {
      if (isDeepStrictEqual(readBack.get(id), sourceDeliveries.get(id))) continue;
      counts.webhookDeliveries[outcome]--;
      fail({
        kind: 'webhookDeliveries',
        id,
        reason: 'RECORD_MISMATCH',
        detail: 'the record read back differs from the source',
      });
    }
  }

  const worklist = target.worklist;
  await copyAll('scheduledSteps', await source.worklist.listScheduledSteps(), {
    id: (step) => step.scheduledProcedureStepID,
    find: (step) => worklist.getScheduledStep(step.scheduledProcedureStepID),
    insert: (step) => worklist.insertScheduledStep(step),
    update: async (step, existing) => {
      if (!isDeepStrictEqual({ ...existing, status: step.status }, step)) return false;
      await worklist.updateScheduledStepStatus(step.scheduledProcedureStepID, step.status);
      return true;
    },
  });
  await copyAll('performedSteps', await source.worklist.listPerformedSteps(), {
    id: (step) => step.sopInstanceUID,
    find: (step) => worklist.getPerformedStep(step.sopInstanceUID),
    insert: (step) => worklist.insertPerformedStep(step),
    update: async (step) => {
      await worklist.updatePerformedStep(step);
      return true;
    },
  });

  await copyAll('aeTitles', await source.aeTable.list(), {
    id: (entry) => entry.aeTitle,
    find: async (entry) => (await target.aeTable.list()).find((e) => e.aeTitle === entry.aeTitle),
    insert: async (entry) => {
      await target.aeTable.set(entry);
    },
    update: async (entry) => {
      await target.aeTable.set(entry);
      return true;
    },
  });

  await copyIngests(source.workflow, target.workflow, counts.ingestStats, fail, options.signal);
  if (!options.signal?.aborted) await copyAudit(source.audit, target.audit, counts.auditEvents, fail);
  return { counts, failures, interrupted: options.signal?.aborted === true };
}

async function* sourceOrders(store: WorkflowStore): AsyncIterable<OrderWithHistory> {
  for (let offset = 0; ; offset += pageSize) {
    const orders = await store.listOrders({ limit: pageSize, offset });
    for (const order of orders) yield { order, history: await store.orderHistory(order.id) };
    if (orders.length < pageSize) return;
  }
}

async function* sourceAnnotations(store: WorkflowStore, studies: AsyncIterable<string>) {
  for await (const studyInstanceUID of studies) yield* await store.listAnnotations({ studyInstanceUID });
}

/** Raises each target counter to at least the source's value (one the target took further stays). */
async function copySequences(
  source: WorkflowStore,
  target: WorkflowStore,
  counts: StoreCounts,
  fail: (failure: StoreFailure) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const inTarget = new Map((await target.listSequences()).map(({ key, value }) => [key, value]));
  for (const { key, value } of await source.listSequences()) {
    if (signal?.aborted) return;
    const before = inTarget.get(key);
    if (before !== undefined && before >= value) {
      counts.skipped++;
      continue;
    }
    try {
      if ((await target.raiseSequence(key, value)) >= value)
        counts[before === undefined ? 'copied' : 'updated']++;
      else
        fail({
          kind: 'sequences',
          id: key,
          reason: 'RECORD_MISMATCH',
          detail: 'the counter read back is lower than the source',
        });
    } catch (error) {
      fail({ kind: 'sequences', id: key, reason: 'TARGET_ERROR', detail: errorCode(error) });
    }
  }
}

/**
 * Adds, page by page, the source's ingest statistics for instances the target has none for, and
 * reads them back. One the target recorded itself (the instance was stored there too) is left as
 * it is and reported.
 */
async function copyIngests(
  source: WorkflowStore,
  target: WorkflowStore,
  counts: StoreCounts,
  fail: (failure: StoreFailure) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const failAll = (stats: IngestStatRecord[], error: unknown) => {
    for (const stat of stats)
      fail({
        kind: 'ingestStats',
        id: stat.sopInstanceUID,
        reason: 'TARGET_ERROR',
        detail: errorCode(error),
      });
  };
  const inTarget = async (stats: IngestStatRecord[]) =>
    new Map(
      (
        await target.listIngests({
          sopInstanceUIDs: stats.map((stat) => stat.sopInstanceUID),
          limit: stats.length,
        })
      ).map((stat) => [stat.sopInstanceUID, stat]),
    );
  for (let after: string | undefined; !signal?.aborted; ) {
    const page = await source.listIngests({
      ...(after === undefined ? {} : { afterSopInstanceUID: after }),
      limit: ingestPage,
    });
    const last = page.at(-1);
    if (!last) return;
    after = last.sopInstanceUID;

    let existing: Map<string, IngestStatRecord>;
    try {
      existing = await inTarget(page);
    } catch (error) {
      failAll(page, error);
      continue;
    }
    const missing: IngestStatRecord[] = [];
    for (const stat of page) {
      const found = existing.get(stat.sopInstanceUID);
      if (found === undefined) missing.push(stat);
      else if (isDeepStrictEqual(found, stat)) counts.skipped++;
      else
        fail({
          kind: 'ingestStats',
          id: stat.sopInstanceUID,
          reason: 'TARGET_CONFLICT',
          detail: 'the target recorded this instance itself',
        });
    }
    if (missing.length === 0) continue;
    const written: IngestStatRecord[] = [];
    const outcomes = await Promise.allSettled(missing.map((stat) => target.recordIngest(stat)));
    outcomes.forEach((outcome, i) => {
      const stat = missing[i]!;
      if (outcome.status === 'fulfilled') written.push(stat);
      else failAll([stat], outcome.reason);
    });
    if (written.length === 0) continue;
    let readBack: Map<string, IngestStatRecord>;
    try {
      readBack = await inTarget(written);
    } catch (error) {
      failAll(written, error);
      continue;
    }
    for (const stat of written) {
      if (isDeepStrictEqual(readBack.get(stat.sopInstanceUID), stat)) counts.copied++;
      else
        fail({
          kind: 'ingestStats',
          id: stat.sopInstanceUID,
          reason: 'RECORD_MISMATCH',
          detail: 'the record read back differs from the source',
        });
    }
  }
}

/** Appends, in chain order, the source's audit events whose id the target does not hold yet. */
async function copyAudit(
  source: AuditStore,
  target: AuditStore,
  counts: StoreCounts,
  fail: (failure: StoreFailure) => void,
): Promise<void> {
  const inTarget = new Set<string>();
  for (let after = 0; ; ) {
    const page = await target.scan(after, auditPage);
    for (const record of page) inTarget.add(record.id);
    const last = page.at(-1);
    if (!last) break;
    after = last.seq;
  }
  for (let after = 0; ; ) {
    const page = await source.scan(after, auditPage);
    const last = page.at(-1);
    if (!last) return;
    after = last.seq;
    const missing = page.filter((record) => !inTarget.has(record.id));
    counts.skipped += page.length - missing.length;
    if (missing.length === 0) continue;
    try {
      const appended = await target.appendMany(
        missing.map((record) => ({
          event: auditEvent(record),
          recordedAt: record.recordedAt,
          id: record.id,
        })),
      );
      missing.forEach((record, i) => {
        const copy = appended[i];
        if (copy?.id === record.id && isDeepStrictEqual(auditEvent(copy), auditEvent(record)))
          counts.copied++;
        else
          fail({
            kind: 'auditEvents',
            id: record.id,
            reason: 'RECORD_MISMATCH',
            detail: 'appended event differs',
          });
      });
    } catch (error) {
      for (const record of missing)
        fail({ kind: 'auditEvents', id: record.id, reason: 'TARGET_ERROR', detail: errorCode(error) });
    }
  }
}

/** The event as logged, without the chain fields the target computes anew. */
function auditEvent(record: AuditRecord): AuditEventInput {
  const {
    seq: _seq,
    id: _id,
    recordedAt: _recordedAt,
    previousHash: _previous,
    hash: _hash,
    ...event
  } = record;
  return event;
}

function errorCode(error: unknown): string {
  if (isPacsError(error)) return error.code;
  return error instanceof Error ? error.name : 'unknown error';
}
