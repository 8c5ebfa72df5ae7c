import Database from 'better-sqlite3';
import type { AeTable, RemoteApplicationEntity } from '../aeTable.js';
import { type AeRow, aeFromRow, aeValues } from '../aeTableRows.js';

const schema = `
CREATE TABLE IF NOT EXISTS dimse_application_entity (
  ae_title TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  allowed_services JSON,
  tls INTEGER NOT NULL DEFAULT 0
);
`;

/**
 * The AE table in the archive's SQLite database (its own dimse_* table; pass the index file's
 * path, or ':memory:'). Entries from `--ae-table FILE.json` are upserted at start with `upsertAll`.
 */
export class SqliteAeTable implements AeTable {
  readonly #db: Database.Database;
  /** Prepared once: every association looks up its calling AE (preparing cost more than the query). */
  readonly #lookup: Database.Statement<[string], AeRow>;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(schema);
    this.#lookup = this.#db.prepare<[string], AeRow>(
      'SELECT * FROM dimse_application_entity WHERE ae_title = ?',
    );
  }

  lookup(aeTitle: string): RemoteApplicationEntity | undefined {
    const row = this.#lookup.get(aeTitle.trim());
    return row ? aeFromRow(row) : undefined;
  }

  list(): RemoteApplicationEntity[] {
    return (
      this.#db.prepare('SELECT * FROM dimse_application_entity ORDER BY ae_title').all() as AeRow[]
    ).map(aeFromRow);
  }

  set(entry: RemoteApplicationEntity): void {
    this.#db
      .prepare(
        `INSERT INTO dimse_application_entity (ae_title, host, port, allowed_services, tls) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (ae_title) DO UPDATE SET host = excluded.host, port = excluded.port,
           allowed_services = excluded.allowed_services, tls = excluded.tls`,
      )
      .run(...aeValues(entry));
  }

  upsertAll(entries: readonly RemoteApplicationEntity[]): void {
    this.#db.transaction(() => {
      for (const entry of entries) this.set(entry);
    })();
  }

  delete(aeTitle: string): boolean {
    return (
      this.#db.prepare('DELETE FROM dimse_application_entity WHERE ae_title = ?').run(aeTitle).changes > 0
    );
  }

  close(): void {
    this.#db.close();
  }
}
