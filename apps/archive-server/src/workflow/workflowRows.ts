import type {
  AnnotationRecord,
  IngestStatRecord,
  OrderRecord,
  ReportRecord,
  ReportTemplateRecord,
  WebhookDeliveryRecord,
} from './WorkflowRecords.js';

/**
 * The `wf_` rows as both adapters read them and the parameters both bind, in the column order of
 * their INSERT statements. Each row keeps the whole record as JSON (`body`) plus the columns the
 * queries filter on; SQLite and PostgreSQL differ in the SQL only.
 */
export interface BodyRow {
  body: string;
}
export const parseBody = <T>(row: BodyRow | undefined): T | undefined =>
  row ? (JSON.parse(row.body) as T) : undefined;
export const parseBodies = <T>(rows: BodyRow[]): T[] => rows.map((row) => JSON.parse(row.body) as T);

/** A `wf_ingest_stats` row. */
export interface IngestStatRow {
  sop_uid: string;
  study_uid: string;
  series_uid: string;
  modality: string | null;
  bytes: number;
  at: number;
}
export const ingestStatFromRow = (row: IngestStatRow): IngestStatRecord => ({
  sopInstanceUID: row.sop_uid,
  studyInstanceUID: row.study_uid,
  seriesInstanceUID: row.series_uid,
  modality: row.modality ?? undefined,
  bytes: row.bytes,
  at: row.at,
});

/** (id, accession_number, study_uid, patient_id, status, created_at, body) */
export const orderValues = (order: OrderRecord): unknown[] => [
  order.id,
  order.accessionNumber,
  order.studyInstanceUID,
  order.patientId,
  order.status,
  order.createdAt,
  JSON.stringify(order),
];

/** (id, order_id, study_uid, patient_id, created_at, body) */
export const reportValues = (report: ReportRecord): unknown[] => [
  report.id,
  report.orderId ?? null,
  report.studyInstanceUID,
  report.patientId,
  report.createdAt,
  JSON.stringify(report),
];

/** (id, modality, body_part, created_at, body) */
export const templateValues = (template: ReportTemplateRecord): unknown[] => [
  template.id,
  template.modality ?? null,
  template.bodyPart ?? null,
  template.createdAt,
  JSON.stringify(template),
];

/** (id, study_uid, sop_uid, user_id, created_at, body) */
export const annotationValues = (annotation: AnnotationRecord): unknown[] => [
  annotation.id,
  annotation.studyInstanceUID,
  annotation.sopInstanceUID,
  annotation.userId,
  annotation.createdAt,
  JSON.stringify(annotation),
];

/** (id, status, next_attempt_at, created_at, body) */
export const deliveryValues = (delivery: WebhookDeliveryRecord): unknown[] => [
  delivery.id,
  delivery.status,
  delivery.nextAttemptAt,
  delivery.createdAt,
  JSON.stringify(delivery),
];

/** (sop_uid, study_uid, series_uid, modality, bytes, at) */
export const ingestStatValues = (stat: IngestStatRecord): unknown[] => [
  stat.sopInstanceUID,
  stat.studyInstanceUID,
  stat.seriesInstanceUID,
  stat.modality ?? null,
  stat.bytes,
  stat.at,
];
