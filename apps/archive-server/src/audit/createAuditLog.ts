import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AuditEventInput, AuditRecord } from './AuditEvent.js';
import type { AuditQuery, AuditStore } from './AuditStore.js';
import { chainHash, genesisHash } from './chainHash.js';
import { SqliteAuditStore } from './sqlite/SqliteAuditStore.js';

export type AuditVerification =
  | { ok: true; records: number; headHash: string }
  | {
      ok: false;
      records: number;
      brokenAtSeq: number;
      reason: 'hash-mismatch' | 'chain-broken' | 'sequence-gap';
    };

export interface AuditLogOptions {
  db?: Database.Database;
  store?: AuditStore;
  clock?: { now(): number };
  /** Records older than this many days are removed by `applyRetention` (default: keep forever). */
  retentionDays?: number;
}

/**
 * The audit trail (issue 5): every read or change of patient data, including denials, goes
 * through `record`. Hash-chained so `verify` detects any edited, inserted or removed record.
 */
export function createAuditLog(options: AuditLogOptions) {
  const store = options.store ?? new SqliteAuditStore(options.db!);
  const clock = options.clock ?? { now: () => Date.now() };
  type Pending = {
    item: { event: AuditEventInput; recordedAt: number; id: string };
    resolve: (record: AuditRecord) => void;
    reject: (error: unknown) => void;
  };
  let pending: Pending[] = [];
  // One batch in flight at a time; what is recorded meanwhile waits and goes in the next. Appends
  // serialize on the chain head anyway (PostgreSQL: an advisory lock across processes), and under
  // load concurrent batches each held a pooled connection waiting on that lock — all of them, so
  // the access checks of HTTP requests queued behind the audit trail.
  let writing = false;
  const flush = () => {
    const batch = pending;
    pending = [];
    writing = true;
    store
      .appendMany(batch.map((p) => p.item))
      .then(
        (records) => {
          for (const [i, p] of batch.entries()) p.resolve(records[i]!);
        },
        (error: unknown) => {
          for (const p of batch) p.reject(error);
        },
      )
      .finally(() => {
        writing = false;
        if (pending.length > 0) flush();
      });
  };

  return {
    store,

    /**
     * Appends one event. Events recorded in the same tick, or while the previous batch is being
     * written, share one transaction (group commit: one fsync for a burst of WADO frame requests);
     * each promise resolves once its batch is durable.
     */
    record(event: AuditEventInput): Promise<AuditRecord> {
      return new Promise<AuditRecord>((resolve, reject) => {
        pending.push({ item: { event, recordedAt: clock.now(), id: randomUUID() }, resolve, reject });
        if (pending.length === 1 && !writing) setImmediate(flush);
      });
    },

    query(query: AuditQuery): Promise<AuditRecord[]> {
      return store.query(query);
    },

    /** Walks the whole chain from the retention anchor, recomputing every hash. */
    async verify(): Promise<AuditVerification> {
      const anchor = await store.anchor();
      let previousHash = anchor?.hash ?? genesisHash;
      let expectedSeq = (anchor?.seq ?? 0) + 1;
      let records = 0;
      for (;;) {
        const batch = await store.scan(expectedSeq - 1, 1000);
        // A removed record shows up as a seq later than expected.
        for (const record of batch) {
          if (record.seq !== expectedSeq)
            return { ok: false, records, brokenAtSeq: expectedSeq, reason: 'sequence-gap' };
          if (record.previousHash !== previousHash) {
            return { ok: false, records, brokenAtSeq: record.seq, reason: 'chain-broken' };
          }
          const { hash, ...rest } = record;
          if (chainHash(rest) !== hash)
            return { ok: false, records, brokenAtSeq: record.seq, reason: 'hash-mismatch' };
          previousHash = hash;
          expectedSeq++;
          records++;
        }
        if (batch.length < 1000) break;
      }
      return { ok: true, records, headHash: previousHash };
    },

    /** Applies the retention every `intervalMs` (default daily); returns a stop function. */
    startRetention(intervalMs = 24 * 3600_000): () => void {
      const timer = setInterval(() => {
        void this.applyRetention().catch(() => undefined);
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },

    /** Applies the configured retention; returns how many records were removed. */
    async applyRetention(): Promise<number> {
      if (options.retentionDays === undefined) return 0;
      return store.purgeBefore(clock.now() - options.retentionDays * 24 * 3600 * 1000);
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
