import type { AuditAction, AuditCategory, AuditEventInput, AuditOutcome } from './AuditEvent.js';

export type DimseOperation =
  | 'A-ASSOCIATE'
  | 'C-ECHO'
  | 'C-STORE'
  | 'C-FIND'
  | 'C-MOVE'
  | 'C-GET'
  | 'N-CREATE'
  | 'N-SET'
  | 'N-ACTION'
  | 'N-EVENT-REPORT';

const mapping: Record<DimseOperation, { category: AuditCategory; action: AuditAction }> = {
  'A-ASSOCIATE': { category: 'security-alert', action: 'E' },
  'C-ECHO': { category: 'query', action: 'E' },
  'C-STORE': { category: 'import', action: 'C' },
  'C-FIND': { category: 'query', action: 'E' },
  'C-MOVE': { category: 'export', action: 'R' },
  'C-GET': { category: 'export', action: 'R' },
  'N-CREATE': { category: 'order-record', action: 'C' },
  'N-SET': { category: 'order-record', action: 'U' },
  'N-ACTION': { category: 'instances-accessed', action: 'E' },
  'N-EVENT-REPORT': { category: 'instances-accessed', action: 'E' },
};

/**
 * The audit event of one DIMSE operation (or a rejected association), for the DIMSE front end:
 * `audit.record(dimseAuditEvent({ operation: 'C-FIND', callingAE, remoteAddress, status, … }))`.
 * DIMSE status 0x0000 and 0xFF00/0xFF01 (pending) are successes; 0x0124 and 0xA801 are denials.
 */
export function dimseAuditEvent(input: {
  operation: DimseOperation;
  callingAE: string;
  remoteAddress?: string;
  /** The DIMSE status sent back (PS3.7 C). */
  status: number;
  patientId?: string;
  studyInstanceUID?: string;
  detail?: Record<string, string | number | boolean>;
}): AuditEventInput {
  const outcome: AuditOutcome =
    input.status === 0 ||
    input.status === 0xff00 ||
    input.status === 0xff01 ||
    (input.status & 0xf000) === 0xb000
      ? 'success'
      : input.status === 0x0124 || input.status === 0xa801 || input.operation === 'A-ASSOCIATE'
        ? 'denied'
        : 'failure';
  return {
    type: `dimse.${input.operation.toLowerCase()}`,
    ...mapping[input.operation],
    outcome,
    actor: `ae:${input.callingAE}`,
    ...(input.remoteAddress !== undefined ? { sourceAddress: input.remoteAddress } : {}),
    protocol: 'dimse',
    operation: input.operation,
    ...(input.patientId !== undefined ? { patientId: input.patientId } : {}),
    ...(input.studyInstanceUID !== undefined ? { studyInstanceUID: input.studyInstanceUID } : {}),
    detail: { status: `0x${input.status.toString(16).padStart(4, '0')}`, ...input.detail },
  };
}
