import Database from 'better-sqlite3';
import type { AeTable, RemoteApplicationEntity } from '../aeTable.js';
import type { DimseService } from '../sopClasses.js';

const schema = `
CREATE TABLE IF NOT EXISTS dimse_application_entity (
  ae_title TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  allowed_services JSON,
  tls INTEGER NOT NULL DEFAULT 0
);
`;

interface Row {
  ae_title: string;
  host: string;
  port: number;
  allowed_services: string | null;
  tls: number;
}

function fromRow(row: Row): RemoteApplicationEntity {
  return {
    aeTitle: row.ae_title,
    host: row.host,
    port: row.port,
    ...(row.allowed_services ? { allowedServices: JSON.parse(row.allowed_services) as DimseService[] } : {}),
    ...(row.tls ? { tls: true } : {}),
  };
}

/**
 * The AE table in the archive's SQLite database (its own dimse_* table; pass the index file's
 * path, or ':memory:'). Entries from `--ae-table FILE.json` are upserted at start with `upsertAll`.
 */
export class SqliteAeTable implements AeTable {
  readonly #db: Database.Database;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(schema);
  }

  lookup(aeTitle: string): RemoteApplicationEntity | undefined {
    const row = this.#db
      .prepare('SELECT * FROM dimse_application_entity WHERE ae_title = ?')
      .get(aeTitle.trim()) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  list(): RemoteApplicationEntity[] {
    return (this.#db.prepare('SELECT * FROM dimse_application_entity ORDER BY ae_title').all() as Row[]).map(
      fromRow,
    );
  }

  set(entry: RemoteApplicationEntity): void {
    this.#db
      .prepare(
        `INSERT INTO dimse_application_entity (ae_title, host, port, allowed_services, tls) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (ae_title) DO UPDATE SET host = excluded.host, port = excluded.port,
           allowed_services = excluded.allowed_services, tls = excluded.tls`,
      )
      .run(
        entry.aeTitle,
        entry.host,
        entry.port,
        entry.allowedServices ? JSON.stringify(entry.allowedServices) : null,
        entry.tls ? 1 : 0,
      );
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
