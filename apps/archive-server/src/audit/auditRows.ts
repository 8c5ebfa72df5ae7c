import type { AuditEventInput, AuditRecord } from './AuditEvent.js';
import type { AuditAnchor, AuditQuery } from './AuditStore.js';
import { chainHash, genesisHash } from './chainHash.js';

/**
 * What the SQLite and PostgreSQL audit stores share: how a record chains on from the head, the
 * `audit_events` row they write and read, and the filters of a query. Locking and SQL stay in
 * each adapter.
 */
export interface AuditRow {
  seq: number;
  body: string;
}

/** The body column is the whole record; the seq column is authoritative for order. */
export function auditFromRow(row: AuditRow): AuditRecord {
  return { ...(JSON.parse(row.body) as AuditRecord), seq: row.seq };
}

/** The record that follows `previous` (the last record or the retention anchor; none: genesis). */
export function chainedRecord(
  event: AuditEventInput,
  recordedAt: number,
  id: string,
  previous: AuditAnchor | undefined,
): AuditRecord {
  const unhashed: Omit<AuditRecord, 'hash'> = {
    ...event,
    seq: (previous?.seq ?? 0) + 1,
    id,
    recordedAt,
    previousHash: previous?.hash ?? genesisHash,
  };
  return { ...unhashed, hash: chainHash(unhashed) };
}

/**
 * (seq, id, recorded_at, type, category, outcome, actor, patient_id, study_uid, body,
 * previous_hash, hash)
 */
export function auditEventValues(record: AuditRecord): unknown[] {
  return [
    record.seq,
    record.id,
    record.recordedAt,
    record.type,
    record.category,
    record.outcome,
    record.actor,
    record.patientId ?? null,
    record.studyInstanceUID ?? null,
    JSON.stringify(record),
    record.previousHash,
    record.hash,
  ];
}

/** One `column operator value` condition of a query, ANDed with the others. */
export interface AuditCondition {
  column: string;
  operator: '=' | '>' | '>=' | '<';
  value: string | number;
}

/** The conditions the query sets (an unset filter matches everything). */
export function auditConditions(query: AuditQuery): AuditCondition[] {
  const conditions: [string, AuditCondition['operator'], string | number | undefined][] = [
    ['recorded_at', '>=', query.from],
    ['recorded_at', '<', query.to],
    ['actor', '=', query.actor],
    ['patient_id', '=', query.patientId],
    ['study_uid', '=', query.studyInstanceUID],
    ['type', '=', query.type],
    ['category', '=', query.category],
    ['outcome', '=', query.outcome],
    ['seq', '>', query.afterSeq],
  ];
  return conditions.flatMap(([column, operator, value]) =>
    value === undefined ? [] : [{ column, operator, value }],
  );
}
