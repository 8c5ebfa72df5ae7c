/** CRUD+E as in FHIR AuditEvent.action and DICOM EventActionCode (PS3.15 A.5.1). */
export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';

/** What happened, in DICOM's audit vocabulary (PS3.15 A.5.3, DCM codes 110100–110114). */
export type AuditCategory =
  | 'patient-record'
  | 'instances-accessed'
  | 'query'
  | 'authentication'
  | 'security-alert'
  | 'export'
  | 'import'
  | 'audit-log-used'
  | 'order-record'
  | 'report';

export type AuditOutcome = 'success' | 'denied' | 'failure';

/** One audited event: who, what, which patient/study, from where, outcome (issue 5). */
export interface AuditEventInput {
  /** Dotted event name, e.g. `study.read`, `auth.token`, `grant.revoke`, `share-link.open`. */
  type: string;
  action: AuditAction;
  category: AuditCategory;
  outcome: AuditOutcome;
  /** The principal's subject, or `anonymous`. */
  actor: string;
  actorRoles?: string[];
  /** Where from: client IP or calling AE title. */
  sourceAddress?: string;
  protocol: 'http' | 'dimse' | 'hl7' | 'internal';
  /** Route pattern or DIMSE operation (never a URL with a query string). */
  operation?: string;
  patientId?: string;
  studyInstanceUID?: string;
  /** Free, patient-data-free detail: ids of orders, reports, grants; status codes; reasons. */
  detail?: Record<string, string | number | boolean>;
}

/** A stored, chained event. */
export interface AuditRecord extends AuditEventInput {
  /** Position in the chain, from 1. */
  seq: number;
  id: string;
  /** Milliseconds since the epoch. */
  recordedAt: number;
  /** Hash of the previous record (or of the retention anchor; 64 zeros for the first). */
  previousHash: string;
  /** SHA-256 over previousHash and the canonical JSON of every other field. */
  hash: string;
}
