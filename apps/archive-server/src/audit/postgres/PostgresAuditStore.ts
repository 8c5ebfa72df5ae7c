import type { PostgresDatabase, PostgresQueryable } from '../../adapters/postgres/PostgresDatabase.js';
import type { AuditEventInput, AuditRecord } from '../AuditEvent.js';
import type { AuditAnchor, AuditQuery, AuditStore } from '../AuditStore.js';
import {
  type AuditRow,
  auditConditions,
  auditEventValues,
  auditFromRow,
  chainedRecord,
} from '../auditRows.js';

const migrations = [
  `
CREATE TABLE audit_events (
  seq BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, recorded_at BIGINT NOT NULL, type TEXT NOT NULL,
  category TEXT NOT NULL, outcome TEXT NOT NULL, actor TEXT NOT NULL, patient_id TEXT, study_uid TEXT,
  body TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX audit_events_time ON audit_events (recorded_at);
CREATE INDEX audit_events_patient ON audit_events (patient_id);
CREATE INDEX audit_events_study ON audit_events (study_uid);
CREATE TABLE audit_anchor (one INTEGER PRIMARY KEY CHECK (one = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);
CREATE FUNCTION audit_events_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_update();
`,
];

/**
 * Arbitrary, fixed key of the advisory lock that serializes appends (and retention) across every
 * process writing the trail, so the chain never forks: each append reads the head under the lock.
 */
const chainLockKey = 0x6175_6474;

/** Records per INSERT: 12 parameters each, well under PostgreSQL's 65,535 per statement. */
const insertRows = 1000;

/**
 * The audit trail on PostgreSQL: one hash chain whatever the number of archive processes. A
 * trigger refuses UPDATE so the chain is append-only at the SQL level too.
 */
export class PostgresAuditStore implements AuditStore {
  private constructor(private readonly db: PostgresDatabase) {}

  static async open(db: PostgresDatabase): Promise<PostgresAuditStore> {
    await db.migrate('audit', migrations);
    return new PostgresAuditStore(db);
  }

  async append(event: AuditEventInput, recordedAt: number, id: string): Promise<AuditRecord> {
    return (await this.appendMany([{ event, recordedAt, id }]))[0]!;
  }

  async appendMany(
    events: { event: AuditEventInput; recordedAt: number; id: string }[],
  ): Promise<AuditRecord[]> {
    return this.db.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [chainLockKey]);
      let head = await chainHead(client);
      const records: AuditRecord[] = [];
      for (const { event, recordedAt, id } of events) {
        const record = chainedRecord(event, recordedAt, id, head);
        records.push(record);
        head = { seq: record.seq, hash: record.hash };
      }
      // Multi-row INSERTs, not one per record: the chain lock is held for the whole transaction,
      // and a batch under load holds hundreds of records.
      for (let start = 0; start < records.length; start += insertRows) {
        const rows = records.slice(start, start + insertRows).map(auditEventValues);
        await client.query(
          `INSERT INTO audit_events (seq, id, recorded_at, type, category, outcome, actor, patient_id, study_uid,
             body, previous_hash, hash) VALUES ${rows
               .map(
                 (_, row) =>
                   `(${Array.from({ length: 12 }, (_, column) => `$${row * 12 + column + 1}`).join(', ')})`,
               )
               .join(', ')}`,
          rows.flat(),
        );
      }
      return records;
    });
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    const conditions = auditConditions(query);
    const where = conditions.map(({ column, operator }, index) => `${column} ${operator} $${index + 1}`);
    const params = [...conditions.map(({ value }) => value), query.limit];
    const rows = await this.db.query<AuditRow>(
      `SELECT seq, body FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    return rows.map(auditFromRow);
  }

  async scan(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    const rows = await this.db.query<AuditRow>(
      'SELECT seq, body FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2',
      [afterSeq, limit],
    );
    return rows.map(auditFromRow);
  }

  async anchor(): Promise<AuditAnchor | undefined> {
    return anchorOf(this.db);
  }

  async purgeBefore(before: number): Promise<number> {
    return this.db.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [chainLockKey]);
      const [last] = await client.query<AuditAnchor>(
        'SELECT seq, hash FROM audit_events WHERE recorded_at < $1 ORDER BY seq DESC LIMIT 1',
        [before],
      );
      if (!last) return 0;
      const [removed] = await client.query<{ count: number }>(
        'WITH removed AS (DELETE FROM audit_events WHERE seq <= $1 RETURNING 1) SELECT count(*) AS count FROM removed',
        [last.seq],
      );
      await client.query(
        `INSERT INTO audit_anchor (one, seq, hash) VALUES (1, $1, $2)
         ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
        [last.seq, last.hash],
      );
      return removed?.count ?? 0;
    });
  }
}

/** The last record, or the anchor retention left when the trail is empty. */
async function chainHead(db: PostgresQueryable): Promise<AuditAnchor | undefined> {
  const [last] = await db.query<AuditAnchor>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  return last ?? anchorOf(db);
}

async function anchorOf(db: PostgresQueryable): Promise<AuditAnchor | undefined> {
  const [row] = await db.query<AuditAnchor>('SELECT seq, hash FROM audit_anchor WHERE one = 1');
  return row;
}
