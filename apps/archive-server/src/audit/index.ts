export { createAuditLog } from './createAuditLog.js';
export type { AuditLog, AuditLogOptions, AuditVerification } from './createAuditLog.js';
export type { AuditAction, AuditCategory, AuditEventInput, AuditOutcome, AuditRecord } from './AuditEvent.js';
export type { AuditAnchor, AuditQuery, AuditStore } from './AuditStore.js';
export { SqliteAuditStore } from './sqlite/SqliteAuditStore.js';
export { canonicalJson, chainHash, genesisHash } from './chainHash.js';
export { toFhirAuditEvent, auditEventCodes } from './toFhirAuditEvent.js';
export { toDicomAuditMessage } from './toDicomAuditMessage.js';
