/**
 * Types of the PacsKit archive's workflow API (`/api/v1`), written against its route
 * definitions in apps/archive-server/src/api (orderRoutes, reportRoutes, annotationRoutes,
 * accessRoutes, adminRoutes) and records (workflow/WorkflowRecords.ts, audit/AuditEvent.ts).
 * test/archive.workflow.test.ts keeps `missingWorkflowRoutes` empty against the `/api/openapi.json`
 * of a spawned archive server and drives an order through it; field shapes are still hand-written
 * (every client call was driven once against the routes in-process on 2026-11-22) and are better
 * generated from the document's schemas.
 * Instants the server formats are ISO 8601 strings; raw records keep epoch milliseconds.
 */

// ── Orders ─────────────────────────────────────────────────────────────────────────────────────
/** The order life cycle; `reported` and `verified` follow report signatures. */
export type OrderStatus =
  | 'scheduled'
  | 'arrived'
  | 'in_progress'
  | 'completed'
  | 'reported'
  | 'verified'
  | 'cancelled';
export type Urgency = 'routine' | 'urgent' | 'stat';

export interface Order {
  id: string;
  accessionNumber: string;
  studyInstanceUID: string;
  patientId: string;
  /** DICOM PN form, e.g. "Doe^Jane". */
  patientName: string;
  patientBirthDate?: string;
  patientSex?: string;
  modality: string;
  bodyPart?: string;
  clinicalIndication?: string;
  urgency: Urgency;
  referringPhysician?: string;
  performingPhysician?: string;
  scheduledStationAETitle?: string;
  /** ISO 8601 instant. */
  scheduledAt: string;
  status: OrderStatus;
  createdBy: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

export interface CreateOrderInput {
  patientId: string;
  patientName: string;
  /** DA, `YYYYMMDD`. */
  patientBirthDate?: string;
  patientSex?: 'M' | 'F' | 'O';
  modality: string;
  bodyPart?: string;
  clinicalIndication?: string;
  urgency?: Urgency;
  referringPhysician?: string;
  performingPhysician?: string;
  scheduledStationAETitle?: string;
  /** ISO 8601 instant. */
  scheduledAt?: string;
}

export interface OrderQuery {
  status?: OrderStatus;
  patientId?: string;
  accessionNumber?: string;
  limit?: number;
  offset?: number;
}

export interface OrderHistoryEntry {
  orderId: string;
  from?: OrderStatus;
  to: OrderStatus;
  /** A subject, or `mpps`, `ingest`, `report`, `hl7`. */
  by: string;
  reason?: string;
  /** ISO 8601 instant. */
  at: string;
}

// ── Reports and templates ──────────────────────────────────────────────────────────────────────
export type ReportStatus = 'draft' | 'preliminary' | 'final' | 'amended';

export interface ReportContentInput {
  findings?: string;
  impression?: string;
  /** Plain-language summary for the patient portal. */
  patientSummary?: string;
  criticalFinding?: boolean;
}

/** A report as staff see it; patients get `id, studyInstanceUID, status, findings, impression, patientSummary, addendum, signedAt`. */
export interface Report {
  id: string;
  orderId?: string;
  studyInstanceUID: string;
  patientId?: string;
  status: ReportStatus;
  version?: number;
  findings: string;
  impression: string;
  patientSummary?: string;
  criticalFinding?: boolean;
  addendum?: string;
  authorId?: string;
  signedBy?: string;
  /** ISO 8601 instants. */
  signedAt?: string;
  releaseAt?: string;
  srSopInstanceUID?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface CreateReportInput extends ReportContentInput {
  studyInstanceUID: string;
  orderId?: string;
  templateId?: string;
}

export interface ReportVersion {
  reportId: string;
  version: number;
  status: ReportStatus;
  authorId: string;
  findings: string;
  impression: string;
  patientSummary?: string;
  criticalFinding: boolean;
  addendum?: string;
  /** ISO 8601 instant. */
  at: string;
}

export interface ReportTemplate {
  id: string;
  name: string;
  modality?: string;
  bodyPart?: string;
  /** Text with {{placeholders}} filled from the order. */
  findings: string;
  impression: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface CreateReportTemplateInput {
  name: string;
  modality?: string;
  bodyPart?: string;
  findings: string;
  impression?: string;
}

// ── Annotations ────────────────────────────────────────────────────────────────────────────────
export type AnnotationKind = 'text' | 'arrow' | 'circle' | 'ellipse' | 'length' | 'angle' | 'roi';

export interface Annotation {
  id: string;
  userId: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  /** 1-based, for multi-frame instances. */
  frameNumber?: number;
  kind: AnnotationKind;
  /** Image (column, row) coordinates in pixels, as SCOORD (PS3.3 C.18.6). */
  points: [number, number][];
  text?: string;
  /** Length in mm, angle in degrees, area in mm². */
  measurement?: { value: number; unit: string };
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

export interface SaveAnnotationInput {
  /** Given to update an existing annotation. */
  id?: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  frameNumber?: number;
  kind: AnnotationKind;
  points: [number, number][];
  text?: string;
  measurement?: { value: number; unit: string };
}

export interface AnnotationQuery {
  studyInstanceUID: string;
  sopInstanceUID?: string;
  /** Staff: everyone's annotations, not only the caller's. */
  all?: boolean;
}

// ── Access grants and share links ──────────────────────────────────────────────────────────────
export type GrantScopeType = 'patient' | 'study' | 'all';
export type AccessType = 'view' | 'download';

export interface AccessGrant {
  id: string;
  granteeUserId: string;
  scopeType: GrantScopeType;
  patientId?: string;
  studyInstanceUID?: string;
  accessType: AccessType;
  consentGiven: boolean;
  /** ISO 8601 instants. */
  expiresAt?: string;
  grantedBy: string;
  createdAt: string;
  revokedAt?: string;
}

export interface CreateAccessGrantInput {
  granteeUserId: string;
  scopeType: GrantScopeType;
  patientId?: string;
  studyInstanceUID?: string;
  accessType: AccessType;
  consentGiven: boolean;
  /** ISO 8601 instant. */
  expiresAt?: string;
}

export interface ShareLink {
  id: string;
  studyInstanceUID: string;
  allowDownload: boolean;
  passwordProtected: boolean;
  /** ISO 8601 instants. */
  expiresAt: string;
  createdAt: string;
  revokedAt?: string;
  useCount: number;
}

export interface CreatedShareLink extends ShareLink {
  /** The secret to hand out; shown once, never stored. */
  token: string;
  /** A ready link when the archive knows its public address. */
  url?: string;
}

export interface CreateShareLinkInput {
  studyInstanceUID: string;
  /** 60 s to 90 days. */
  expiresInSeconds: number;
  password?: string;
  allowDownload?: boolean;
}

export interface OpenedShareLink {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  studyInstanceUID: string;
  allowDownload: boolean;
}

// ── Audit ──────────────────────────────────────────────────────────────────────────────────────
export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditRecord {
  seq: number;
  id: string;
  /** Dotted event name, e.g. `study.read`, `grant.revoke`. */
  type: string;
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  category: string;
  outcome: AuditOutcome;
  actor: string;
  actorRoles?: string[];
  sourceAddress?: string;
  protocol: 'http' | 'dimse' | 'hl7' | 'internal';
  operation?: string;
  patientId?: string;
  studyInstanceUID?: string;
  detail?: Record<string, string | number | boolean>;
  /** ISO 8601 instant. */
  recordedAt: string;
  previousHash: string;
  hash: string;
}

export interface AuditQuery {
  /** ISO 8601 instants. */
  from?: string;
  to?: string;
  actor?: string;
  patientId?: string;
  studyInstanceUID?: string;
  type?: string;
  outcome?: AuditOutcome;
  /** Records after this sequence number (paging). */
  afterSeq?: number;
  limit?: number;
}

// ── Analytics ──────────────────────────────────────────────────────────────────────────────────
export interface AnalyticsQuery {
  /** ISO 8601 instants (default: the last 30 days). */
  from?: string;
  to?: string;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface Analytics {
  from: string;
  to: string;
  totals: { studies: number; series: number; instances: number; bytes: number };
  modalities: { modality: string; instances: number; studies: number }[];
  dailyVolume: { day: string; instances: number; bytes: number; studies: number }[];
  storageGrowth: { day: string; bytes: number }[];
  latency: { query: LatencySummary; retrieve: LatencySummary };
}
