import type { OrderStatus } from './orderStatus.js';
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
} from './WorkflowRecords.js';

export interface OrderFilter {
  status?: OrderStatus;
  patientId?: string;
  accessionNumber?: string;
  studyInstanceUID?: string;
  limit: number;
  offset: number;
}

export interface IngestTotals {
  studies: number;
  series: number;
  instances: number;
  bytes: number;
}

/**
 * Persistence of orders, reports, annotations, webhooks and ingest statistics. All SQL lives
 * behind this port (SQLite embedded, PostgreSQL shared by several processes). Each method is
 * atomic, also across processes.
 */
export interface WorkflowStore {
  /** Next value of a named counter (accession numbers per date prefix), starting at 1. */
  nextSequence(key: string): Promise<number>;
  /** Every counter with the last value it handed out, by key. */
  listSequences(): Promise<{ key: string; value: number }[]>;
  /**
   * Raises a counter so that `nextSequence` hands out more than `atLeast`; never lowers it (a
   * migration must not make a target reissue numbers). Returns the counter's value afterwards.
   */
  raiseSequence(key: string, atLeast: number): Promise<number>;

  insertOrder(order: OrderRecord, history: OrderHistoryEntry): Promise<void>;
  /** Updates the order and appends history entries in one transaction. */
  updateOrder(order: OrderRecord, history: OrderHistoryEntry[]): Promise<void>;
  findOrder(id: string): Promise<OrderRecord | undefined>;
  findOrderByAccession(accessionNumber: string): Promise<OrderRecord | undefined>;
  findOrderByStudy(studyInstanceUID: string): Promise<OrderRecord | undefined>;
  listOrders(filter: OrderFilter): Promise<OrderRecord[]>;
  orderHistory(orderId: string): Promise<OrderHistoryEntry[]>;

  /** Saves the report's current state and appends the version row in one transaction. */
  saveReport(report: ReportRecord, version: ReportVersionRecord): Promise<void>;
  /** Updates report fields without a new version (SR UID after storage). */
  updateReport(report: ReportRecord): Promise<void>;
  findReport(id: string): Promise<ReportRecord | undefined>;
  listReports(filter: {
    studyInstanceUID?: string;
    patientId?: string;
    orderId?: string;
  }): Promise<ReportRecord[]>;
  reportVersions(reportId: string): Promise<ReportVersionRecord[]>;

  insertTemplate(template: ReportTemplateRecord): Promise<void>;
  findTemplate(id: string): Promise<ReportTemplateRecord | undefined>;
  listTemplates(filter: { modality?: string; bodyPart?: string }): Promise<ReportTemplateRecord[]>;

  saveAnnotation(annotation: AnnotationRecord): Promise<void>;
  findAnnotation(id: string): Promise<AnnotationRecord | undefined>;
  listAnnotations(filter: {
    studyInstanceUID: string;
    sopInstanceUID?: string;
    userId?: string;
  }): Promise<AnnotationRecord[]>;
  deleteAnnotation(id: string): Promise<boolean>;

  insertWebhook(subscription: WebhookSubscriptionRecord): Promise<void>;
  listWebhooks(): Promise<WebhookSubscriptionRecord[]>;
  deleteWebhook(id: string): Promise<boolean>;
  insertDelivery(delivery: WebhookDeliveryRecord): Promise<void>;
  updateDelivery(delivery: WebhookDeliveryRecord): Promise<void>;
  /**
   * Hands out up to `limit` pending deliveries due at `now`, oldest first, and leases them until
   * `leaseUntil`: no other caller (in any process) gets them before that, unless `updateDelivery`
   * reschedules them. A process that dies mid-delivery leaves the lease to expire, then another
   * retries.
   */
  claimDueDeliveries(now: number, limit: number, leaseUntil: number): Promise<WebhookDeliveryRecord[]>;
  listDeliveries(status: WebhookDeliveryRecord['status']): Promise<WebhookDeliveryRecord[]>;

  /** Records one stored instance (idempotent per SOP Instance UID). */
  recordIngest(stat: IngestStatRecord): Promise<void>;
  /**
   * Recorded ingests by SOP Instance UID: those after `afterSopInstanceUID` in the store's own
   * order (keyset paging), or those among `sopInstanceUIDs`; at most `limit`.
   */
  listIngests(filter: {
    afterSopInstanceUID?: string;
    sopInstanceUIDs?: string[];
    limit: number;
  }): Promise<IngestStatRecord[]>;
  ingestTotals(from: number, to: number): Promise<IngestTotals>;
  modalityDistribution(
    from: number,
    to: number,
  ): Promise<{ modality: string; instances: number; studies: number }[]>;
  /** Per UTC day: instances and bytes stored that day. */
  dailyVolume(
    from: number,
    to: number,
  ): Promise<{ day: string; instances: number; bytes: number; studies: number }[]>;
}
