import type { AuditCategory, AuditEventInput, AuditOutcome, AuditRecord } from './AuditEvent.js';

export interface AuditQuery {
  from?: number;
  to?: number;
  actor?: string;
  patientId?: string;
  studyInstanceUID?: string;
  type?: string;
  category?: AuditCategory;
  outcome?: AuditOutcome;
  /** Only records with seq greater than this (paging). */
  afterSeq?: number;
  limit: number;
}

/** Where the chain restarts after retention removed older records. */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/**
 * The append-only audit trail. `append` chains the record to the last one atomically (one writer
 * at a time, whatever the number of processes); nothing updates or deletes except `purgeBefore`.
 */
export interface AuditStore {
  append(event: AuditEventInput, recordedAt: number, id: string): Promise<AuditRecord>;
  /** Appends several events in one transaction (one fsync), in order. */
  appendMany(events: { event: AuditEventInput; recordedAt: number; id: string }[]): Promise<AuditRecord[]>;
  query(query: AuditQuery): Promise<AuditRecord[]>;
  /** Records in chain order from `afterSeq` (exclusive), at most `limit`. */
  scan(afterSeq: number, limit: number): Promise<AuditRecord[]>;
  anchor(): Promise<AuditAnchor | undefined>;
  /** Removes records older than `before` (retention) and moves the anchor; returns how many. */
  purgeBefore(before: number): Promise<number>;
}
