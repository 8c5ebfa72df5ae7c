import type { PostgresDatabase } from '../../adapters/postgres/PostgresDatabase.js';
import type { RemoteApplicationEntity } from '../aeTable.js';
import type { ManagedAeTable } from '../dimseAdminRoutes.js';
import type { DimseService } from '../sopClasses.js';

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

const upsert = `INSERT INTO dimse_application_entity (ae_title, host, port, allowed_services, tls)
  VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (ae_title) DO UPDATE SET host = excluded.host, port = excluded.port,
    allowed_services = excluded.allowed_services, tls = excluded.tls`;

const upsertParams = (entry: RemoteApplicationEntity): unknown[] => [
  entry.aeTitle,
  entry.host,
  entry.port,
  entry.allowedServices ? JSON.stringify(entry.allowedServices) : null,
  entry.tls ? 1 : 0,
];

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
    const [row] = await this.db.query<Row>('SELECT * FROM dimse_application_entity WHERE ae_title = $1', [
      aeTitle.trim(),
    ]);
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<RemoteApplicationEntity[]> {
    return (await this.db.query<Row>('SELECT * FROM dimse_application_entity ORDER BY ae_title')).map(
      fromRow,
    );
  }

  async set(entry: RemoteApplicationEntity): Promise<void> {
    await this.db.query(upsert, upsertParams(entry));
  }

  async upsertAll(entries: readonly RemoteApplicationEntity[]): Promise<void> {
    await this.db.transaction(async (client) => {
      for (const entry of entries) await client.query(upsert, upsertParams(entry));
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
