import type { PostgresDatabase, PostgresQueryable } from '../../adapters/postgres/PostgresDatabase.js';
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

/** The SQLite `wf_` tables on PostgreSQL: the whole record as JSON text (`body`) plus filter columns. */
const migrations = [
  `
CREATE TABLE wf_counters (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE wf_orders (
  id TEXT PRIMARY KEY, accession_number TEXT NOT NULL UNIQUE, study_uid TEXT NOT NULL UNIQUE,
  patient_id TEXT NOT NULL, status TEXT NOT NULL, created_at BIGINT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX wf_orders_patient ON wf_orders (patient_id);
CREATE INDEX wf_orders_status ON wf_orders (status);
CREATE TABLE wf_order_history (seq BIGSERIAL PRIMARY KEY, order_id TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX wf_order_history_order ON wf_order_history (order_id);
CREATE TABLE wf_reports (
  id TEXT PRIMARY KEY, order_id TEXT, study_uid TEXT NOT NULL, patient_id TEXT NOT NULL, created_at BIGINT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX wf_reports_study ON wf_reports (study_uid);
CREATE TABLE wf_report_versions (
  report_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (report_id, version)
);
CREATE TABLE wf_report_templates (
  id TEXT PRIMARY KEY, modality TEXT, body_part TEXT, created_at BIGINT NOT NULL, body TEXT NOT NULL
);
CREATE TABLE wf_annotations (
  id TEXT PRIMARY KEY, study_uid TEXT NOT NULL, sop_uid TEXT NOT NULL, user_id TEXT NOT NULL,
  created_at BIGINT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX wf_annotations_study ON wf_annotations (study_uid);
CREATE TABLE wf_webhooks (id TEXT PRIMARY KEY, created_at BIGINT NOT NULL, body TEXT NOT NULL);
CREATE TABLE wf_webhook_deliveries (
  id TEXT PRIMARY KEY, status TEXT NOT NULL, next_attempt_at BIGINT NOT NULL, created_at BIGINT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX wf_webhook_deliveries_due ON wf_webhook_deliveries (status, next_attempt_at);
CREATE TABLE wf_ingest_stats (
  sop_uid TEXT PRIMARY KEY, study_uid TEXT NOT NULL, series_uid TEXT NOT NULL, modality TEXT,
  bytes BIGINT NOT NULL, at BIGINT NOT NULL
);
CREATE INDEX wf_ingest_stats_at ON wf_ingest_stats (at);
`,
];

/** The one row a lookup by key returns, if any. */
const parseFirst = <T>(rows: BodyRow[]): T | undefined => parseBody<T>(rows[0]);

/**
 * The WorkflowStore on PostgreSQL, shared by every archive process: counters are one atomic
 * upsert (accession numbers unique across processes) and webhook deliveries are claimed with
 * `FOR UPDATE SKIP LOCKED` plus a lease, so each goes to exactly one process.
 */
export class PostgresWorkflowStore implements WorkflowStore {
  private constructor(private readonly db: PostgresDatabase) {}

  static async open(db: PostgresDatabase): Promise<PostgresWorkflowStore> {
    await db.migrate('workflow', migrations);
    return new PostgresWorkflowStore(db);
  }

  async nextSequence(key: string): Promise<number> {
    const [row] = await this.db.query<{ value: number }>(
      `INSERT INTO wf_counters (key, value) VALUES ($1, 1)
       ON CONFLICT (key) DO UPDATE SET value = wf_counters.value + 1 RETURNING value`,
      [key],
    );
    return row!.value;
  }

  async listSequences(): Promise<{ key: string; value: number }[]> {
    return this.db.query<{ key: string; value: number }>('SELECT key, value FROM wf_counters ORDER BY key');
  }

  async raiseSequence(key: string, atLeast: number): Promise<number> {
    const [row] = await this.db.query<{ value: number }>(
      `INSERT INTO wf_counters (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = GREATEST(wf_counters.value, excluded.value) RETURNING value`,
      [key, atLeast],
    );
    return row!.value;
  }

  async insertOrder(order: OrderRecord, history: OrderHistoryEntry): Promise<void> {
    await this.db.transaction(async (client) => {
      await client.query(
        `INSERT INTO wf_orders (id, accession_number, study_uid, patient_id, status, created_at, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        orderValues(order),
      );
      await insertHistory(client, history);
    });
  }

  async updateOrder(order: OrderRecord, history: OrderHistoryEntry[]): Promise<void> {
    await this.db.transaction(async (client) => {
      await client.query('UPDATE wf_orders SET status = $1, body = $2 WHERE id = $3', [
        order.status,
        JSON.stringify(order),
        order.id,
      ]);
      for (const entry of history) await insertHistory(client, entry);
    });
  }

  async findOrder(id: string): Promise<OrderRecord | undefined> {
    return parseFirst(await this.db.query<BodyRow>('SELECT body FROM wf_orders WHERE id = $1', [id]));
  }

  async findOrderByAccession(accessionNumber: string): Promise<OrderRecord | undefined> {
    return parseFirst(
      await this.db.query<BodyRow>('SELECT body FROM wf_orders WHERE accession_number = $1', [
        accessionNumber,
      ]),
    );
  }

  async findOrderByStudy(studyInstanceUID: string): Promise<OrderRecord | undefined> {
    return parseFirst(
      await this.db.query<BodyRow>('SELECT body FROM wf_orders WHERE study_uid = $1', [studyInstanceUID]),
    );
  }

  async listOrders(filter: OrderFilter): Promise<OrderRecord[]> {
    return parseBodies(
      await this.db.query<BodyRow>(
        `SELECT body FROM wf_orders WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR patient_id = $2)
         AND ($3::text IS NULL OR accession_number = $3) AND ($4::text IS NULL OR study_uid = $4)
         ORDER BY created_at, id LIMIT $5 OFFSET $6`,
        [
          filter.status ?? null,
          filter.patientId ?? null,
          filter.accessionNumber ?? null,
          filter.studyInstanceUID ?? null,
          filter.limit,
          filter.offset,
        ],
      ),
    );
  }

  async orderHistory(orderId: string): Promise<OrderHistoryEntry[]> {
    return parseBodies(
      await this.db.query<BodyRow>('SELECT body FROM wf_order_history WHERE order_id = $1 ORDER BY seq', [
        orderId,
      ]),
    );
  }

  async saveReport(report: ReportRecord, version: ReportVersionRecord): Promise<void> {
    await this.db.transaction(async (client) => {
      await client.query(
        `INSERT INTO wf_reports (id, order_id, study_uid, patient_id, created_at, body) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body`,
        reportValues(report),
      );
      // The primary key refuses a second writer of the same version: two processes editing one
      // report at once cannot both create version N.
      await client.query('INSERT INTO wf_report_versions (report_id, version, body) VALUES ($1, $2, $3)', [
        version.reportId,
        version.version,
        JSON.stringify(version),
      ]);
    });
  }

  async updateReport(report: ReportRecord): Promise<void> {
    await this.db.query('UPDATE wf_reports SET body = $1 WHERE id = $2', [JSON.stringify(report), report.id]);
  }

  async findReport(id: string): Promise<ReportRecord | undefined> {
    return parseFirst(await this.db.query<BodyRow>('SELECT body FROM wf_reports WHERE id = $1', [id]));
  }

  async listReports(filter: {
    studyInstanceUID?: string;
    patientId?: string;
    orderId?: string;
  }): Promise<ReportRecord[]> {
    return parseBodies(
      await this.db.query<BodyRow>(
        `SELECT body FROM wf_reports WHERE ($1::text IS NULL OR study_uid = $1)
         AND ($2::text IS NULL OR patient_id = $2) AND ($3::text IS NULL OR order_id = $3) ORDER BY created_at, id`,
        [filter.studyInstanceUID ?? null, filter.patientId ?? null, filter.orderId ?? null],
      ),
    );
  }

  async reportVersions(reportId: string): Promise<ReportVersionRecord[]> {
    return parseBodies(
      await this.db.query<BodyRow>(
        'SELECT body FROM wf_report_versions WHERE report_id = $1 ORDER BY version',
        [reportId],
      ),
    );
  }

  async insertTemplate(template: ReportTemplateRecord): Promise<void> {
    await this.db.query(
      'INSERT INTO wf_report_templates (id, modality, body_part, created_at, body) VALUES ($1, $2, $3, $4, $5)',
      templateValues(template),
    );
  }

  async findTemplate(id: string): Promise<ReportTemplateRecord | undefined> {
    return parseFirst(
      await this.db.query<BodyRow>('SELECT body FROM wf_report_templates WHERE id = $1', [id]),
    );
  }

  async listTemplates(filter: { modality?: string; bodyPart?: string }): Promise<ReportTemplateRecord[]> {
    // A template without a modality/body part applies to all.
    return parseBodies(
      await this.db.query<BodyRow>(
        `SELECT body FROM wf_report_templates WHERE ($1::text IS NULL OR modality IS NULL OR modality = $1)
         AND ($2::text IS NULL OR body_part IS NULL OR body_part = $2) ORDER BY created_at, id`,
        [filter.modality ?? null, filter.bodyPart ?? null],
      ),
    );
  }

  async saveAnnotation(annotation: AnnotationRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO wf_annotations (id, study_uid, sop_uid, user_id, created_at, body) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body`,
      annotationValues(annotation),
    );
  }

  async findAnnotation(id: string): Promise<AnnotationRecord | undefined> {
    return parseFirst(await this.db.query<BodyRow>('SELECT body FROM wf_annotations WHERE id = $1', [id]));
  }

  async listAnnotations(filter: {
    studyInstanceUID: string;
    sopInstanceUID?: string;
    userId?: string;
  }): Promise<AnnotationRecord[]> {
    return parseBodies(
      await this.db.query<BodyRow>(
        `SELECT body FROM wf_annotations WHERE study_uid = $1 AND ($2::text IS NULL OR sop_uid = $2)
         AND ($3::text IS NULL OR user_id = $3) ORDER BY created_at, id`,
        [filter.studyInstanceUID, filter.sopInstanceUID ?? null, filter.userId ?? null],
      ),
    );
  }

  async deleteAnnotation(id: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM wf_annotations WHERE id = $1 RETURNING id', [id])).length === 1;
  }

  async insertWebhook(subscription: WebhookSubscriptionRecord): Promise<void> {
    await this.db.query('INSERT INTO wf_webhooks (id, created_at, body) VALUES ($1, $2, $3)', [
      subscription.id,
      subscription.createdAt,
      JSON.stringify(subscription),
    ]);
  }

  async listWebhooks(): Promise<WebhookSubscriptionRecord[]> {
    return parseBodies(await this.db.query<BodyRow>('SELECT body FROM wf_webhooks ORDER BY created_at, id'));
  }

  async deleteWebhook(id: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM wf_webhooks WHERE id = $1 RETURNING id', [id])).length === 1;
  }

  async insertDelivery(delivery: WebhookDeliveryRecord): Promise<void> {
    await this.db.query(
      'INSERT INTO wf_webhook_deliveries (id, status, next_attempt_at, created_at, body) VALUES ($1, $2, $3, $4, $5)',
      deliveryValues(delivery),
    );
  }

  async updateDelivery(delivery: WebhookDeliveryRecord): Promise<void> {
    await this.db.query(
      'UPDATE wf_webhook_deliveries SET status = $1, next_attempt_at = $2, body = $3 WHERE id = $4',
      [delivery.status, delivery.nextAttemptAt, JSON.stringify(delivery), delivery.id],
    );
  }

  async claimDueDeliveries(now: number, limit: number, leaseUntil: number): Promise<WebhookDeliveryRecord[]> {
    // SKIP LOCKED: a process claiming at the same moment passes over these rows instead of waiting
    // and then taking them too. The lease lives in the column only; the record keeps its scheduled
    // attempt time, which also gives the claimed rows their order back (RETURNING has none).
    const rows = await this.db.query<BodyRow>(
      `WITH due AS (
         SELECT id FROM wf_webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at, created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE wf_webhook_deliveries d SET next_attempt_at = $3 FROM due WHERE d.id = due.id RETURNING d.body`,
      [now, limit, leaseUntil],
    );
    return parseBodies<WebhookDeliveryRecord>(rows).sort(
      (a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt,
    );
  }

  async listDeliveries(status: WebhookDeliveryRecord['status']): Promise<WebhookDeliveryRecord[]> {
    return parseBodies(
      await this.db.query<BodyRow>(
        'SELECT body FROM wf_webhook_deliveries WHERE status = $1 ORDER BY created_at, id',
        [status],
      ),
    );
  }

  async recordIngest(stat: IngestStatRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO wf_ingest_stats (sop_uid, study_uid, series_uid, modality, bytes, at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (sop_uid) DO NOTHING`,
      ingestStatValues(stat),
    );
  }

  async listIngests(filter: {
    afterSopInstanceUID?: string;
    sopInstanceUIDs?: string[];
    limit: number;
  }): Promise<IngestStatRecord[]> {
    const rows = await this.db.query<IngestStatRow>(
      `SELECT sop_uid, study_uid, series_uid, modality, bytes, at FROM wf_ingest_stats
       WHERE ($1::text IS NULL OR sop_uid > $1) AND ($2::text[] IS NULL OR sop_uid = ANY($2))
       ORDER BY sop_uid LIMIT $3`,
      [filter.afterSopInstanceUID ?? null, filter.sopInstanceUIDs ?? null, filter.limit],
    );
    return rows.map(ingestStatFromRow);
  }

  async ingestTotals(from: number, to: number): Promise<IngestTotals> {
    const [row] = await this.db.query<IngestTotals>(
      `SELECT COUNT(DISTINCT study_uid) AS studies, COUNT(DISTINCT series_uid) AS series, COUNT(*) AS instances,
         COALESCE(SUM(bytes), 0) AS bytes FROM wf_ingest_stats WHERE at >= $1 AND at < $2`,
      [from, to],
    );
    return row!;
  }

  async modalityDistribution(from: number, to: number) {
    return this.db.query<{ modality: string; instances: number; studies: number }>(
      `SELECT COALESCE(modality, '') AS modality, COUNT(*) AS instances, COUNT(DISTINCT study_uid) AS studies
       FROM wf_ingest_stats WHERE at >= $1 AND at < $2 GROUP BY COALESCE(modality, '')
       ORDER BY instances DESC, modality`,
      [from, to],
    );
  }

  async dailyVolume(from: number, to: number) {
    return this.db.query<{ day: string; instances: number; bytes: number; studies: number }>(
      `SELECT to_char(to_timestamp(at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, COUNT(*) AS instances,
         SUM(bytes) AS bytes, COUNT(DISTINCT study_uid) AS studies
       FROM wf_ingest_stats WHERE at >= $1 AND at < $2 GROUP BY day ORDER BY day`,
      [from, to],
    );
  }
}

async function insertHistory(client: PostgresQueryable, entry: OrderHistoryEntry): Promise<void> {
  await client.query('INSERT INTO wf_order_history (order_id, body) VALUES ($1, $2)', [
    entry.orderId,
    JSON.stringify(entry),
  ]);
}
