/**
 * The workflow operations the components use, declared here as the smallest structural shape so
 * that the SDK's `WorkflowClient` (packages/sdk/src/workflow, for the archive's /api/v1) can be
 * handed to `<PacsProvider workflow={...}>` as it is, and a host can adapt another backend. Every
 * group is optional: a component whose group is missing shows `NOT_SUPPORTED`. Field names follow
 * the archive's records (apps/archive-server/src/workflow/WorkflowRecords.ts); fields the SDK's
 * current types lack (urgency, patientSummary, releaseAt, history) are optional.
 */
export interface WorkflowRequestOptions {
  signal?: AbortSignal;
}

export interface WorkflowPage<T> {
  items: T[];
  nextCursor?: string;
  total?: number;
}

export type WorkflowUrgency = 'routine' | 'urgent' | 'stat';

export interface WorkflowOrder {
  id: string;
  /** `scheduled`, `arrived`, `in_progress`/`in-progress`, `completed`, `reported`, `verified`, `cancelled`. */
  status: string;
  patientId: string;
  /** DICOM PN form, e.g. "Doe^Jane". */
  patientName?: string;
  accessionNumber: string;
  modality: string;
  requestedProcedureDescription?: string;
  bodyPart?: string;
  urgency?: WorkflowUrgency;
  /** The ordering specialty (cardiology, orthopaedics…), for worklist filters. */
  specialty?: string;
  /** Epoch ms or ISO 8601. */
  scheduledAt?: number | string;
  referringPhysicianName?: string;
  studyInstanceUID?: string;
  reason?: string;
}

export interface WorkflowOrderInput {
  patientId: string;
  patientName?: string;
  modality: string;
  requestedProcedureDescription?: string;
  scheduledAt?: number;
  urgency?: WorkflowUrgency;
  reason?: string;
}

export interface WorkflowOrderHistoryEntry {
  from?: string;
  to: string;
  by: string;
  reason?: string;
  at: number;
}

export interface WorkflowReport {
  id: string;
  studyInstanceUID: string;
  /** `draft`, `preliminary`, `final`, `amended`. */
  status: string;
  templateId?: string;
  findings: string;
  impression: string;
  /** Plain-language summary for the patient portal. */
  patientSummary?: string;
  addendum?: string;
  signedBy?: string;
  signedAt?: number;
  /** When patients may see it (signature + embargo), epoch ms. */
  releaseAt?: number;
  updatedAt?: number;
}

export interface WorkflowReportInput {
  studyInstanceUID?: string;
  templateId?: string;
  findings?: string;
  impression?: string;
  patientSummary?: string;
  addendum?: string;
}

export interface WorkflowReportTemplate {
  id: string;
  name: string;
  modality?: string;
  bodyPart?: string;
  findings: string;
  impression: string;
}

export interface WorkflowAnnotation {
  id: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  [field: string]: unknown;
}

export interface WorkflowAccessGrant {
  id: string;
  granteeUserId: string;
  scopeType: string;
  patientId?: string;
  studyInstanceUID?: string;
  /** `view` or `download`. */
  accessType: string;
  consentGiven: boolean;
  expiresAt?: number;
  revokedAt?: number;
}

export interface WorkflowShareLink {
  id: string;
  studyInstanceUID: string;
  allowDownload: boolean;
  expiresAt: number;
  revokedAt?: number;
  /** Only in the answer that created it. */
  url?: string;
}

export interface WorkflowAuditEvent {
  id: string;
  at: number;
  actorId: string;
  action: string;
  outcome: string;
  studyInstanceUID?: string;
}

export interface PacsWorkflowClient {
  orders?: {
    list(
      query?: {
        status?: string;
        patientId?: string;
        modality?: string;
        limit?: number;
      } & WorkflowRequestOptions,
    ): Promise<WorkflowPage<WorkflowOrder>>;
    create(input: WorkflowOrderInput, options?: WorkflowRequestOptions): Promise<WorkflowOrder>;
    update?(
      id: string,
      patch: Partial<WorkflowOrderInput>,
      options?: WorkflowRequestOptions,
    ): Promise<WorkflowOrder>;
    cancel(id: string, options?: WorkflowRequestOptions & { reason?: string }): Promise<WorkflowOrder>;
    history?(id: string, options?: WorkflowRequestOptions): Promise<WorkflowOrderHistoryEntry[]>;
  };
  worklist?: {
    list(
      query?: { modality?: string; limit?: number } & WorkflowRequestOptions,
    ): Promise<WorkflowPage<WorkflowOrder>>;
  };
  reports?: {
    list(
      query?: { studyInstanceUID?: string } & WorkflowRequestOptions,
    ): Promise<WorkflowPage<WorkflowReport>>;
    create(
      input: WorkflowReportInput & { studyInstanceUID: string },
      options?: WorkflowRequestOptions,
    ): Promise<WorkflowReport>;
    update(id: string, patch: WorkflowReportInput, options?: WorkflowRequestOptions): Promise<WorkflowReport>;
    /** draft → preliminary, where the backend has that step. */
    markPreliminary?(id: string, options?: WorkflowRequestOptions): Promise<WorkflowReport>;
    /** Sign-off: → final. */
    finalize(id: string, options?: WorkflowRequestOptions): Promise<WorkflowReport>;
    /** final → amended, with an addendum. */
    amend(id: string, patch: WorkflowReportInput, options?: WorkflowRequestOptions): Promise<WorkflowReport>;
  };
  templates?: {
    list(query?: { modality?: string } & WorkflowRequestOptions): Promise<WorkflowReportTemplate[]>;
  };
  annotations?: {
    list(query: { studyInstanceUID: string } & WorkflowRequestOptions): Promise<WorkflowAnnotation[]>;
    create(
      input: Omit<WorkflowAnnotation, 'id'>,
      options?: WorkflowRequestOptions,
    ): Promise<WorkflowAnnotation>;
    delete(id: string, options?: WorkflowRequestOptions): Promise<void>;
  };
  accessGrants?: {
    list(
      query?: { granteeUserId?: string; patientId?: string } & WorkflowRequestOptions,
    ): Promise<WorkflowAccessGrant[]>;
    revoke(id: string, options?: WorkflowRequestOptions): Promise<void>;
  };
  shareLinks?: {
    list(query?: { studyInstanceUID?: string } & WorkflowRequestOptions): Promise<WorkflowShareLink[]>;
    create(
      input: { studyInstanceUID: string; expiresAt: number; allowDownload?: boolean },
      options?: WorkflowRequestOptions,
    ): Promise<WorkflowShareLink>;
    revoke(id: string, options?: WorkflowRequestOptions): Promise<void>;
  };
  audit?: {
    list(
      query?: { patientId?: string; limit?: number } & WorkflowRequestOptions,
    ): Promise<WorkflowPage<WorkflowAuditEvent>>;
  };
}
