/**
 * Types of the PacsKit archive's workflow API (`/api/v1`). Written ahead of the server's OpenAPI
 * document: field names follow the archive's stores (AccessGrantRecord, ShareLinkRecord in
 * apps/archive-server/src/access/AccessStore.ts) where they exist. They must be checked against
 * (or generated from) the OpenAPI document once it is published, so the two cannot drift.
 * Times are epoch milliseconds, as in those stores.
 */

export interface Page<T> {
  items: T[];
  /** Opaque cursor of the next page, absent on the last one. */
  nextCursor?: string;
  total?: number;
}

export interface PageOptions {
  limit?: number;
  cursor?: string;
}

// ── Orders (imaging service requests) ─────────────────────────────────────────────────────────
export type OrderStatus = 'scheduled' | 'in-progress' | 'completed' | 'cancelled';

export interface Order {
  id: string;
  status: OrderStatus;
  patientId: string;
  accessionNumber: string;
  modality: string;
  requestedProcedureDescription?: string;
  scheduledStationAETitle?: string;
  /** PS3.4 K.6.1.2.2 Scheduled Procedure Step Start, epoch ms. */
  scheduledAt?: number;
  referringPhysicianName?: string;
  studyInstanceUID?: string;
  reason?: string;
  createdAt: number;
  updatedAt: number;
}

export interface CreateOrderInput {
  patientId: string;
  modality: string;
  requestedProcedureDescription?: string;
  scheduledStationAETitle?: string;
  scheduledAt?: number;
  referringPhysicianName?: string;
  reason?: string;
  /** Given by the caller, or assigned by the archive. */
  accessionNumber?: string;
}

export interface OrderQuery extends PageOptions {
  status?: OrderStatus;
  patientId?: string;
  modality?: string;
}

// ── Modality worklist (PS3.4 K) ─────────────────────────────────────────────────────────────────
export interface WorklistItem {
  orderId: string;
  accessionNumber: string;
  patientId: string;
  modality: string;
  scheduledStationAETitle?: string;
  scheduledAt?: number;
  requestedProcedureDescription?: string;
  status: OrderStatus;
}

export interface WorklistQuery extends PageOptions {
  modality?: string;
  scheduledStationAETitle?: string;
  /** DICOM date range (PS3.4 C.2.2.2.5), e.g. `20250101-20250131`. */
  scheduledDate?: string;
}

// ── Reports and templates ──────────────────────────────────────────────────────────────────────
export type ReportStatus = 'draft' | 'preliminary' | 'final' | 'amended';

export interface Report {
  id: string;
  studyInstanceUID: string;
  status: ReportStatus;
  templateId?: string;
  findings: string;
  impression: string;
  authorId: string;
  signedBy?: string;
  signedAt?: number;
  createdAt: number;
  updatedAt: number;
}

export interface CreateReportInput {
  studyInstanceUID: string;
  templateId?: string;
  findings?: string;
  impression?: string;
}

export interface UpdateReportInput {
  findings?: string;
  impression?: string;
}

export interface ReportTemplate {
  id: string;
  name: string;
  modality?: string;
  bodyPart?: string;
  findings: string;
  impression: string;
}

// ── Annotations (measurements on images) ────────────────────────────────────────────────────────
export interface Annotation {
  id: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  frameNumber?: number;
  /** Tool name as the viewer knows it (Length, EllipticalROI, ArrowAnnotate, …). */
  tool: string;
  /** Tool-specific geometry and measurements. */
  data: Record<string, unknown>;
  label?: string;
  authorId: string;
  createdAt: number;
  updatedAt: number;
}

export type CreateAnnotationInput = Omit<Annotation, 'id' | 'authorId' | 'createdAt' | 'updatedAt'>;

// ── Access grants and share links (consent-based access) ────────────────────────────────────────
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
  expiresAt?: number;
  grantedBy: string;
  createdAt: number;
  revokedAt?: number;
}

export interface CreateAccessGrantInput {
  granteeUserId: string;
  scopeType: GrantScopeType;
  patientId?: string;
  studyInstanceUID?: string;
  accessType: AccessType;
  consentGiven: boolean;
  expiresAt?: number;
}

export interface ShareLink {
  id: string;
  studyInstanceUID: string;
  allowDownload: boolean;
  hasPassword: boolean;
  expiresAt: number;
  createdBy: string;
  createdAt: number;
  revokedAt?: number;
  useCount: number;
  /** The link to hand out; only in the answer that created it (the secret is not stored). */
  url?: string;
}

export interface CreateShareLinkInput {
  studyInstanceUID: string;
  expiresAt: number;
  password?: string;
  allowDownload?: boolean;
}

// ── Audit (hash-chained trail) ──────────────────────────────────────────────────────────────────
export interface AuditEvent {
  id: string;
  at: number;
  actorId: string;
  action: string;
  outcome: 'success' | 'failure';
  studyInstanceUID?: string;
  patientId?: string;
  /** Hash of this entry and of the previous one (the chain). */
  hash: string;
  previousHash: string;
}

export interface AuditQuery extends PageOptions {
  from?: number;
  to?: number;
  actorId?: string;
  patientId?: string;
  action?: string;
}

// ── Analytics ───────────────────────────────────────────────────────────────────────────────────
export interface AnalyticsQuery {
  from: number;
  to: number;
}

export interface AnalyticsSummary {
  from: number;
  to: number;
  studies: number;
  instances: number;
  storedBytes: number;
  studiesByModality: Record<string, number>;
  ordersByStatus: Partial<Record<OrderStatus, number>>;
  reportsByStatus: Partial<Record<ReportStatus, number>>;
  /** Order placed → report final, in ms. */
  medianTurnaroundMs?: number;
}
