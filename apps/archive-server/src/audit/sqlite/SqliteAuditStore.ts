import type Database from 'better-sqlite3';
import type { AuditEventInput, AuditRecord } from '../AuditEvent.js';
import type { AuditAnchor, AuditQuery, AuditStore } from '../AuditStore.js';
import {
  type AuditRow,
  auditConditions,
  auditEventValues,
  auditFromRow,
  chainedRecord,
} from '../auditRows.js';

const migration = `
CREATE TABLE IF NOT EXISTS audit_events (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, recorded_at INTEGER NOT NULL, type TEXT NOT NULL,
  category TEXT NOT NULL, outcome TEXT NOT NULL, actor TEXT NOT NULL, patient_id TEXT, study_uid TEXT,
  body TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_events_time ON audit_events (recorded_at);
CREATE INDEX IF NOT EXISTS audit_events_patient ON audit_events (patient_id);
CREATE INDEX IF NOT EXISTS audit_events_study ON audit_events (study_uid);
CREATE TABLE IF NOT EXISTS audit_anchor (one INTEGER PRIMARY KEY CHECK (one = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
`;

/** The audit trail in SQLite; a trigger refuses UPDATE so the chain is append-only at the SQL level too. */
export class SqliteAuditStore implements AuditStore {
  // Prepared once: preparing cost more than the insert itself on every audited request.
  private readonly lastStatement: Database.Statement<[], AuditAnchor>;
  private readonly insertStatement: Database.Statement<unknown[]>;

  constructor(private readonly db: Database.Database) {
    db.exec(migration);
    this.lastStatement = db.prepare<[], AuditAnchor>(
      'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
    );
    this.insertStatement = db.prepare(
      `INSERT INTO audit_events (seq, id, recorded_at, type, category, outcome, actor, patient_id, study_uid, body,
         previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  async append(event: AuditEventInput, recordedAt: number, id: string): Promise<AuditRecord> {
    return (await this.appendMany([{ event, recordedAt, id }]))[0]!;
  }

  async appendMany(
    events: { event: AuditEventInput; recordedAt: number; id: string }[],
  ): Promise<AuditRecord[]> {
    const run = this.db.transaction((): AuditRecord[] => {
      // The chain head is read once per batch, inside the write lock; the batch chains on from it.
      let previous = this.lastStatement.get() ?? this.anchorSync();
      return events.map(({ event, recordedAt, id }) => {
        const record = this.appendOne(event, recordedAt, id, previous);
        previous = record;
        return record;
      });
    });
    // IMMEDIATE: take the write lock before reading the last hash, so two processes never fork the chain.
    return run.immediate();
  }

  private appendOne(
    event: AuditEventInput,
    recordedAt: number,
    id: string,
    previous: AuditAnchor | undefined,
  ): AuditRecord {
    const record = chainedRecord(event, recordedAt, id, previous);
    this.insertStatement.run(...auditEventValues(record));
    return record;
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    const conditions = auditConditions(query);
    const where = conditions.map(({ column, operator }) => `${column} ${operator} ?`);
    const params = [...conditions.map(({ value }) => value), query.limit];
    return this.db
      .prepare<(string | number)[], AuditRow>(
        `SELECT seq, body FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ?`,
      )
      .all(...params)
      .map(auditFromRow);
  }

  async scan(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    return this.db
      .prepare<[number, number], AuditRow>(
        'SELECT seq, body FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?',
      )
      .all(afterSeq, limit)
      .map(auditFromRow);
  }

  async anchor(): Promise<AuditAnchor | undefined> {
    return this.anchorSync();
  }

  private anchorSync(): AuditAnchor | undefined {
    return this.db.prepare<[], AuditAnchor>('SELECT seq, hash FROM audit_anchor WHERE one = 1').get();
  }

  async purgeBefore(before: number): Promise<number> {
    const run = this.db.transaction((): number => {
      const last = this.db
        .prepare<[number], { seq: number; hash: string }>(
          'SELECT seq, hash FROM audit_events WHERE recorded_at < ? ORDER BY seq DESC LIMIT 1',
        )
        .get(before);
      if (!last) return 0;
      const removed = this.db.prepare('DELETE FROM audit_events WHERE seq <= ?').run(last.seq).changes;
      this.db
        .prepare(
          'INSERT INTO audit_anchor (one, seq, hash) VALUES (1, ?, ?) ON CONFLICT(one) DO UPDATE SET seq = ?, hash = ?',
        )
        .run(last.seq, last.hash, last.seq, last.hash);
      return removed;
    });
    return run.immediate();
  }
}
