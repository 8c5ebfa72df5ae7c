import type { RemoteApplicationEntity } from './aeTable.js';
import type { DimseService } from './sopClasses.js';

/**
 * The `dimse_application_entity` row as the SQLite and PostgreSQL AE tables read it, and the
 * parameters both bind: the same columns on both (allowed services as JSON text, TLS as 0/1).
 */
export interface AeRow {
  ae_title: string;
  host: string;
  port: number;
  allowed_services: string | null;
  tls: number;
}

export function aeFromRow(row: AeRow): RemoteApplicationEntity {
  return {
    aeTitle: row.ae_title,
    host: row.host,
    port: row.port,
    ...(row.allowed_services ? { allowedServices: JSON.parse(row.allowed_services) as DimseService[] } : {}),
    ...(row.tls ? { tls: true } : {}),
  };
}

/** (ae_title, host, port, allowed_services, tls) */
export const aeValues = (entry: RemoteApplicationEntity): unknown[] => [
  entry.aeTitle,
  entry.host,
  entry.port,
  entry.allowedServices ? JSON.stringify(entry.allowedServices) : null,
  entry.tls ? 1 : 0,
];
