import type Database from 'better-sqlite3';
import type { IngestTotals, OrderFilter, WorkflowStore } from '../WorkflowStore.js';
import type {
  AnnotationRecord,
  IngestStatRecord,
  OrderHistoryEntry,
  OrderRecord,
  ReportRecord,
  ReportTemplateRecord,
  ReportVersionRecord,
  WebhookDeliveryRecord,
  WebhookSubscriptionRecord,
} from '../WorkflowRecords.js';
import {
  type BodyRow,
  type IngestStatRow,
  annotationValues,
  deliveryValues,
  ingestStatFromRow,
  ingestStatValues,
  orderValues,
  parseBodies,
  parseBody,
  reportValues,
  templateValues,
} from '../workflowRows.js';

/**
 * Tables of the workflow module, prefixed `wf_`. Each row keeps the whole record as JSON (`body`)
 * plus the columns we filter on; the PostgreSQL adapter keeps the same tables.
 */
const migration = `
CREATE TABLE IF NOT EXISTS wf_counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS wf_orders (
  id TEXT PRIMARY KEY, accession_number TEXT NOT NULL UNIQUE, study_uid TEXT NOT NULL UNIQUE,
  patient_id TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS wf_orders_patient ON wf_orders (patient_id);
CREATE INDEX IF NOT EXISTS wf_orders_status ON wf_orders (status);
CREATE TABLE IF NOT EXISTS wf_order_history (
  seq INTEGER PRIMARY KEY, order_id TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS wf_order_history_order ON wf_order_history (order_id);
CREATE TABLE IF NOT EXISTS wf_reports (
  id TEXT PRIMARY KEY, order_id TEXT, study_uid TEXT NOT NULL, patient_id TEXT NOT NULL, created_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS wf_reports_study ON wf_reports (study_uid);
CREATE TABLE IF NOT EXISTS wf_report_versions (
  report_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (report_id, version)
);
CREATE TABLE IF NOT EXISTS wf_report_templates (
  id TEXT PRIMARY KEY, modality TEXT, body_part TEXT, created_at INTEGER NOT NULL, body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS wf_annotations (
  id TEXT PRIMARY KEY, study_uid TEXT NOT NULL, sop_uid TEXT NOT NULL, user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS wf_annotations_study ON wf_annotations (study_uid);
CREATE TABLE IF NOT EXISTS wf_webhooks (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS wf_webhook_deliveries (
  id TEXT PRIMARY KEY, status TEXT NOT NULL, next_attempt_at INTEGER NOT NULL, created_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS wf_webhook_deliveries_due ON wf_webhook_deliveries (status, next_attempt_at);
CREATE TABLE IF NOT EXISTS wf_ingest_stats (
  sop_uid TEXT PRIMARY KEY, study_uid TEXT NOT NULL, series_uid TEXT NOT NULL, modality TEXT,
  bytes INTEGER NOT NULL, at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS wf_ingest_stats_at ON wf_ingest_stats (at);
`;

/** Ingest stats are committed at most this long after they are recorded, or once this many wait. */
const ingestStatsDelayMs = 100;
const maxPendingIngests = 1000;

export class SqliteWorkflowStore implements WorkflowStore {
  constructor(private readonly db: Database.Database) {
    db.exec(migration);
  }

  async nextSequence(key: string): Promise<number> {
    const row = this.db
      .prepare<[string], { value: number }>(
        `INSERT INTO wf_counters (key, value) VALUES (?, 1)
         ON CONFLICT(key) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .get(key);
    return row!.value;
  }

  async listSequences(): Promise<{ key: string; value: number }[]> {
    return this.db
      .prepare<[], { key: string; value: number }>('SELECT key, value FROM wf_counters ORDER BY key')
      .all();
  }

  async raiseSequence(key: string, atLeast: number): Promise<number> {
    const row = this.db
      .prepare<[string, number], { value: number }>(
        `INSERT INTO wf_counters (key, value) VALUES (?, ?)
         ON CONFLICT(key) DO UPDATE SET value = MAX(value, excluded.value) RETURNING value`,
      )
      .get(key, atLeast);
    return row!.value;
  }

  async insertOrder(order: OrderRecord, history: OrderHistoryEntry): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO wf_orders (id, accession_number, study_uid, patient_id, status, created_at, body)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...orderValues(order));
      this.insertHistory(history);
    })();
  }

  private insertHistory(entry: OrderHistoryEntry): void {
    this.db
      .prepare('INSERT INTO wf_order_history (order_id, body) VALUES (?, ?)')
      .run(entry.orderId, JSON.stringify(entry));
  }

  async updateOrder(order: OrderRecord, history: OrderHistoryEntry[]): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE wf_orders SET status = ?, body = ? WHERE id = ?')
        .run(order.status, JSON.stringify(order), order.id);
      for (const entry of history) this.insertHistory(entry);
    })();
  }

  async findOrder(id: string): Promise<OrderRecord | undefined> {
    return parseBody(this.db.prepare<[string], BodyRow>('SELECT body FROM wf_orders WHERE id = ?').get(id));
  }

  async findOrderByAccession(accessionNumber: string): Promise<OrderRecord | undefined> {
    return parseBody(
      this.db
        .prepare<[string], BodyRow>('SELECT body FROM wf_orders WHERE accession_number = ?')
        .get(accessionNumber),
    );
  }

  async findOrderByStudy(studyInstanceUID: string): Promise<OrderRecord | undefined> {
    return parseBody(
      this.db
        .prepare<[string], BodyRow>('SELECT body FROM wf_orders WHERE study_uid = ?')
        .get(studyInstanceUID),
    );
  }

  async listOrders(filter: OrderFilter): Promise<OrderRecord[]> {
    const s = filter.status ?? null;
    const p = filter.patientId ?? null;
    const a = filter.accessionNumber ?? null;
    const u = filter.studyInstanceUID ?? null;
    return parseBodies(
      this.db
        .prepare<(string | number | null)[], BodyRow>(
          `SELECT body FROM wf_orders WHERE (? IS NULL OR status = ?) AND (? IS NULL OR patient_id = ?)
           AND (? IS NULL OR accession_number = ?) AND (? IS NULL OR study_uid = ?)
           ORDER BY created_at, id LIMIT ? OFFSET ?`,
        )
        .all(s, s, p, p, a, a, u, u, filter.limit, filter.offset),
    );
  }

  async orderHistory(orderId: string): Promise<OrderHistoryEntry[]> {
    return parseBodies(
      this.db
        .prepare<[string], BodyRow>('SELECT body FROM wf_order_history WHERE order_id = ? ORDER BY seq')
        .all(orderId),
    );
  }

  async saveReport(report: ReportRecord, version: ReportVersionRecord): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO wf_reports (id, order_id, study_uid, patient_id, created_at, body) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET body = excluded.body`,
        )
        .run(...reportValues(report));
      this.db
        .prepare('INSERT INTO wf_report_versions (report_id, version, body) VALUES (?, ?, ?)')
        .run(version.reportId, version.version, JSON.stringify(version));
    })();
  }

  async updateReport(report: ReportRecord): Promise<void> {
    this.db.prepare('UPDATE wf_reports SET body = ? WHERE id = ?').run(JSON.stringify(report), report.id);
  }

  async findReport(id: string): Promise<ReportRecord | undefined> {
    return parseBody(this.db.prepare<[string], BodyRow>('SELECT body FROM wf_reports WHERE id = ?').get(id));
  }

  async listReports(filter: {
    studyInstanceUID?: string;
    patientId?: string;
    orderId?: string;
  }): Promise<ReportRecord[]> {
    const u = filter.studyInstanceUID ?? null;
    const p = filter.patientId ?? null;
    const o = filter.orderId ?? null;
    return parseBodies(
      this.db
        .prepare<(string | null)[], BodyRow>(
          `SELECT body FROM wf_reports WHERE (? IS NULL OR study_uid = ?) AND (? IS NULL OR patient_id = ?)
           AND (? IS NULL OR order_id = ?) ORDER BY created_at, id`,
        )
        .all(u, u, p, p, o, o),
    );
  }

  async reportVersions(reportId: string): Promise<ReportVersionRecord[]> {
    return parseBodies(
      this.db
        .prepare<[string], BodyRow>(
          'SELECT body FROM wf_report_versions WHERE report_id = ? ORDER BY version',
        )
        .all(reportId),
    );
  }

  async insertTemplate(template: ReportTemplateRecord): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO wf_report_templates (id, modality, body_part, created_at, body) VALUES (?, ?, ?, ?, ?)',
      )
      .run(...templateValues(template));
  }

  async findTemplate(id: string): Promise<ReportTemplateRecord | undefined> {
    return parseBody(
      this.db.prepare<[string], BodyRow>('SELECT body FROM wf_report_templates WHERE id = ?').get(id),
    );
  }

  async listTemplates(filter: { modality?: string; bodyPart?: string }): Promise<ReportTemplateRecord[]> {
    const m = filter.modality ?? null;
    const b = filter.bodyPart ?? null;
    // A template without a modality/body part applies to all.
    return parseBodies(
      this.db
        .prepare<(string | null)[], BodyRow>(
          `SELECT body FROM wf_report_templates WHERE (? IS NULL OR modality IS NULL OR modality = ?)
           AND (? IS NULL OR body_part IS NULL OR body_part = ?) ORDER BY created_at, id`,
        )
        .all(m, m, b, b),
    );
  }

  async saveAnnotation(annotation: AnnotationRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO wf_annotations (id, study_uid, sop_uid, user_id, created_at, body) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET body = excluded.body`,
      )
      .run(...annotationValues(annotation));
  }

  async findAnnotation(id: string): Promise<AnnotationRecord | undefined> {
    return parseBody(
      this.db.prepare<[string], BodyRow>('SELECT body FROM wf_annotations WHERE id = ?').get(id),
    );
  }

  async listAnnotations(filter: {
    studyInstanceUID: string;
    sopInstanceUID?: string;
    userId?: string;
  }): Promise<AnnotationRecord[]> {
    const s = filter.sopInstanceUID ?? null;
    const u = filter.userId ?? null;
    return parseBodies(
      this.db
        .prepare<(string | null)[], BodyRow>(
          `SELECT body FROM wf_annotations WHERE study_uid = ? AND (? IS NULL OR sop_uid = ?)
           AND (? IS NULL OR user_id = ?) ORDER BY created_at, id`,
        )
        .all(filter.studyInstanceUID, s, s, u, u),
    );
  }

  async deleteAnnotation(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM wf_annotations WHERE id = ?').run(id).changes === 1;
  }

  async insertWebhook(subscription: WebhookSubscriptionRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO wf_webhooks (id, created_at, body) VALUES (?, ?, ?)')
      .run(subscription.id, subscription.createdAt, JSON.stringify(subscription));
  }

  async listWebhooks(): Promise<WebhookSubscriptionRecord[]> {
    return parseBodies(
      this.db.prepare<[], BodyRow>('SELECT body FROM wf_webhooks ORDER BY created_at, id').all(),
    );
  }

  async deleteWebhook(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM wf_webhooks WHERE id = ?').run(id).changes === 1;
  }

  async insertDelivery(delivery: WebhookDeliveryRecord): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO wf_webhook_deliveries (id, status, next_attempt_at, created_at, body) VALUES (?, ?, ?, ?, ?)',
      )
      .run(...deliveryValues(delivery));
  }

  async updateDelivery(delivery: WebhookDeliveryRecord): Promise<void> {
    this.db
      .prepare('UPDATE wf_webhook_deliveries SET status = ?, next_attempt_at = ?, body = ? WHERE id = ?')
      .run(delivery.status, delivery.nextAttemptAt, JSON.stringify(delivery), delivery.id);
  }

  async claimDueDeliveries(now: number, limit: number, leaseUntil: number): Promise<WebhookDeliveryRecord[]> {
    // IMMEDIATE: another process sharing the file waits instead of claiming the same rows.
    const claim = this.db.transaction((): WebhookDeliveryRecord[] => {
      const due = parseBodies<WebhookDeliveryRecord>(
        this.db
          .prepare<[number, number], BodyRow>(
            `SELECT body FROM wf_webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
             ORDER BY next_attempt_at, created_at LIMIT ?`,
          )
          .all(now, limit),
      );
      // The lease lives in the column only; the record keeps its scheduled attempt time.
      const lease = this.db.prepare('UPDATE wf_webhook_deliveries SET next_attempt_at = ? WHERE id = ?');
      for (const delivery of due) lease.run(leaseUntil, delivery.id);
      return due;
    });
    return claim.immediate();
  }

  async listDeliveries(status: WebhookDeliveryRecord['status']): Promise<WebhookDeliveryRecord[]> {
    return parseBodies(
      this.db
        .prepare<[string], BodyRow>(
          'SELECT body FROM wf_webhook_deliveries WHERE status = ? ORDER BY created_at, id',
        )
        .all(status),
    );
  }

  /**
   * Stats wait here up to `ingestStatsDelayMs` and share one transaction: the database runs with
   * synchronous=FULL, so a transaction per stored instance put one fsync per instance on the event
   * loop (most of a STOW-RS request's time). The analytics reads write what waits first. Stats are
   * recorded after the instance is acknowledged anyway, so a crash may lose the last ones.
   */
  private pendingIngests: {
    stat: IngestStatRecord;
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  private pendingIngestsTimer: NodeJS.Timeout | undefined;

  recordIngest(stat: IngestStatRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingIngests.push({ stat, resolve, reject });
      if (this.pendingIngests.length >= maxPendingIngests) this.writePendingIngests();
      else if (this.pendingIngestsTimer === undefined) {
        // Unreferenced: waiting stats never hold the process open.
        this.pendingIngestsTimer = setTimeout(() => this.writePendingIngests(), ingestStatsDelayMs).unref();
      }
    });
  }

  private writePendingIngests(): void {
    clearTimeout(this.pendingIngestsTimer);
    this.pendingIngestsTimer = undefined;
    const batch = this.pendingIngests;
    if (batch.length === 0) return;
    this.pendingIngests = [];
    try {
      const insert = this.db.prepare(
        `INSERT INTO wf_ingest_stats (sop_uid, study_uid, series_uid, modality, bytes, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(sop_uid) DO NOTHING`,
      );
      this.db.transaction(() => {
        for (const { stat } of batch) {
          insert.run(...ingestStatValues(stat));
        }
      })();
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    for (const waiting of batch) waiting.resolve();
  }

  async listIngests(filter: {
    afterSopInstanceUID?: string;
    sopInstanceUIDs?: string[];
    limit: number;
  }): Promise<IngestStatRecord[]> {
    this.writePendingIngests();
    // Conditions only when given: `? IS NULL OR …` would keep SQLite from seeking the key index.
    const conditions: string[] = [];
    const params: (string | number)[] = [];
    if (filter.afterSopInstanceUID !== undefined) {
      conditions.push('sop_uid > ?');
      params.push(filter.afterSopInstanceUID);
    }
    if (filter.sopInstanceUIDs !== undefined) {
      conditions.push('sop_uid IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(filter.sopInstanceUIDs));
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.db
      .prepare<(string | number)[], IngestStatRow>(
        `SELECT sop_uid, study_uid, series_uid, modality, bytes, at FROM wf_ingest_stats ${where}
         ORDER BY sop_uid LIMIT ?`,
      )
      .all(...params, filter.limit)
      .map(ingestStatFromRow);
  }

  async ingestTotals(from: number, to: number): Promise<IngestTotals> {
    this.writePendingIngests();
    return this.db
      .prepare<[number, number], IngestTotals>(
        `SELECT COUNT(DISTINCT study_uid) AS studies, COUNT(DISTINCT series_uid) AS series, COUNT(*) AS instances,
           COALESCE(SUM(bytes), 0) AS bytes FROM wf_ingest_stats WHERE at >= ? AND at < ?`,
      )
      .get(from, to)!;
  }

  async modalityDistribution(from: number, to: number) {
    this.writePendingIngests();
    return this.db
      .prepare<[number, number], { modality: string; instances: number; studies: number }>(
        `SELECT COALESCE(modality, '') AS modality, COUNT(*) AS instances, COUNT(DISTINCT study_uid) AS studies
         FROM wf_ingest_stats WHERE at >= ? AND at < ? GROUP BY COALESCE(modality, '') ORDER BY instances DESC, modality`,
      )
      .all(from, to);
  }

  async dailyVolume(from: number, to: number) {
    this.writePendingIngests();
    return this.db
      .prepare<[number, number], { day: string; instances: number; bytes: number; studies: number }>(
        `SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day, COUNT(*) AS instances, SUM(bytes) AS bytes,
           COUNT(DISTINCT study_uid) AS studies
         FROM wf_ingest_stats WHERE at >= ? AND at < ? GROUP BY day ORDER BY day`,
      )
      .all(from, to);
  }
}
