import type { PostgresDatabase } from '../../adapters/postgres/PostgresDatabase.js';
import type { RemoteApplicationEntity } from '../aeTable.js';
import { type AeRow, aeFromRow, aeValues } from '../aeTableRows.js';
import type { ManagedAeTable } from '../dimseAdminRoutes.js';

const migrations = [
  `
CREATE TABLE dimse_application_entity (
  ae_title TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  allowed_services TEXT,
  tls INTEGER NOT NULL DEFAULT 0
);
`,
];

const upsert = `INSERT INTO dimse_application_entity (ae_title, host, port, allowed_services, tls)
  VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (ae_title) DO UPDATE SET host = excluded.host, port = excluded.port,
    allowed_services = excluded.allowed_services, tls = excluded.tls`;

/**
 * The AE table on PostgreSQL: an AE added through one archive process's admin route is known to
 * every process (C-MOVE destinations, calling-AE checks).
 */
export class PostgresAeTable implements ManagedAeTable {
  private constructor(private readonly db: PostgresDatabase) {}

  static async open(db: PostgresDatabase): Promise<PostgresAeTable> {
    await db.migrate('dimse', migrations);
    return new PostgresAeTable(db);
  }

  async lookup(aeTitle: string): Promise<RemoteApplicationEntity | undefined> {
    const [row] = await this.db.query<AeRow>('SELECT * FROM dimse_application_entity WHERE ae_title = $1', [
      aeTitle.trim(),
    ]);
    return row ? aeFromRow(row) : undefined;
  }

  async list(): Promise<RemoteApplicationEntity[]> {
    return (await this.db.query<AeRow>('SELECT * FROM dimse_application_entity ORDER BY ae_title')).map(
      aeFromRow,
    );
  }

  async set(entry: RemoteApplicationEntity): Promise<void> {
    await this.db.query(upsert, aeValues(entry));
  }

  async upsertAll(entries: readonly RemoteApplicationEntity[]): Promise<void> {
    await this.db.transaction(async (client) => {
      for (const entry of entries) await client.query(upsert, aeValues(entry));
    });
  }

  async delete(aeTitle: string): Promise<boolean> {
    return (
      (
        await this.db.query('DELETE FROM dimse_application_entity WHERE ae_title = $1 RETURNING ae_title', [
          aeTitle,
        ])
      ).length === 1
    );
  }
}
