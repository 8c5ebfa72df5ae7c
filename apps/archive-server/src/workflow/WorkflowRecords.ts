import type { OrderStatus } from './orderStatus.js';

export type Urgency = 'routine' | 'urgent' | 'stat';

export interface OrderRecord {
  id: string;
  accessionNumber: string;
  studyInstanceUID: string;
  patientId: string;
  /** DICOM PN form, e.g. "Doe^Jane". */
  patientName: string;
  patientBirthDate: string | undefined;
  patientSex: string | undefined;
  modality: string;
  bodyPart: string | undefined;
  clinicalIndication: string | undefined;
  urgency: Urgency;
  referringPhysician: string | undefined;
  performingPhysician: string | undefined;
  scheduledStationAETitle: string | undefined;
  /** ISO 8601 instant the procedure is scheduled for. */
  scheduledAt: string;
  status: OrderStatus;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface OrderHistoryEntry {
  orderId: string;
  from: OrderStatus | undefined;
  to: OrderStatus;
  /** Who or what moved it: a subject, `mpps`, `ingest`, `report`, `hl7`. */
  by: string;
  reason: string | undefined;
  at: number;
}

export const reportStatuses = ['draft', 'preliminary', 'final', 'amended'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

export interface ReportContent {
  findings: string;
  impression: string;
  /** Plain-language summary for the patient portal. */
  patientSummary: string | undefined;
  criticalFinding: boolean;
  /** For amendments: the addendum text. */
  addendum: string | undefined;
}

export interface ReportRecord extends ReportContent {
  id: string;
  orderId: string | undefined;
  studyInstanceUID: string;
  patientId: string;
  status: ReportStatus;
  version: number;
  authorId: string;
  signedBy: string | undefined;
  signedAt: number | undefined;
  /** When patients may see it (signature time + embargo); undefined until final. */
  releaseAt: number | undefined;
  /** SOP Instance UID of the latest Basic Text SR stored in the study. */
  srSopInstanceUID: string | undefined;
  createdAt: number;
  updatedAt: number;
}

export interface ReportVersionRecord extends ReportContent {
  reportId: string;
  version: number;
  status: ReportStatus;
  authorId: string;
  at: number;
}

export interface ReportTemplateRecord {
  id: string;
  name: string;
  modality: string | undefined;
  bodyPart: string | undefined;
  /** Text with {{placeholders}}: modality, bodyPart, clinicalIndication, accessionNumber, scheduledAt. */
  findings: string;
  impression: string;
  createdAt: number;
}

export const annotationKinds = ['text', 'arrow', 'circle', 'ellipse', 'length', 'angle', 'roi'] as const;
export type AnnotationKind = (typeof annotationKinds)[number];

export interface AnnotationRecord {
  id: string;
  userId: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  /** 1-based frame number for multi-frame instances. */
  frameNumber: number | undefined;
  kind: AnnotationKind;
  /** Image-space (column, row) coordinates in pixels, as SCOORD (PS3.3 C.18.6). */
  points: [number, number][];
  text: string | undefined;
  /** A measured value (length in mm, angle in degrees, area in mm²) when the kind has one. */
  measurement: { value: number; unit: string } | undefined;
  createdAt: number;
  updatedAt: number;
}

export const webhookEvents = ['study.received', 'report.final', 'critical.finding'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export interface WebhookSubscriptionRecord {
  id: string;
  url: string;
  events: WebhookEvent[];
  /** HMAC-SHA256 key for the X-PacsKit-Signature header. */
  secret: string;
  active: boolean;
  createdAt: number;
}

export interface WebhookDeliveryRecord {
  id: string;
  subscriptionId: string;
  event: WebhookEvent;
  payload: string;
  attempts: number;
  nextAttemptAt: number;
  status: 'pending' | 'delivered' | 'dead';
  lastError: string | undefined;
  createdAt: number;
}

/** One stored instance as the analytics see it (fed by onInstanceStored). */
export interface IngestStatRecord {
  sopInstanceUID: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  modality: string | undefined;
  bytes: number;
  at: number;
}
