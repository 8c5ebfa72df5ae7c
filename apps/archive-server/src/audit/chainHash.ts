import { createHash } from 'node:crypto';
import type { AuditRecord } from './AuditEvent.js';

export const genesisHash = '0'.repeat(64);

/** JSON with object keys sorted at every depth and undefined members dropped: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The hash of a record: every field except `hash` itself, chained to the previous one. */
export function chainHash(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256')
    .update(record.previousHash)
    .update('\n')
    .update(canonicalJson(record))
    .digest('hex');
}
