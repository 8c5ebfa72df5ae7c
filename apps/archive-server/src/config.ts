import type { OidcIssuerConfig } from './access/AccessConfig.js';
import type { DuplicatePolicy } from './services/IngestService.js';

/** Everything the archive is configured with; cli.ts fills it from flags and PACSKIT_* variables. */
export interface ArchiveConfig {
  /** Where the index, blobs and staging files live (default ./data). */
  dataDir: string;
  host: string;
  httpPort: number;
  /** DIMSE port, used by the DIMSE front end. */
  dicomPort: number;
  aet: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  duplicatePolicy: DuplicatePolicy;
  /** Admin password; when absent one is generated on first start (hash stored in the data dir). */
  adminPassword?: string;
  /** Origins allowed by CORS: '*' or a list; empty → CORS off. */
  corsOrigins: string[];
  /** A JSON AE table (`{"STORESCP": {"host": "127.0.0.1", "port": 11113}}`) loaded at start. */
  aeTablePath?: string;
  /** What to do with associations from calling AE titles not in the AE table. */
  unknownCallingAE: 'accept' | 'reject';
  /** Concurrent DIMSE associations accepted before new ones are rejected (transient). */
  maxAssociations: number;
  /** DICOM TLS (PS3.15 B.1); with `ca`, peers must present a certificate it signed. */
  dicomTls?: { key: Buffer; cert: Buffer; ca?: Buffer };
  /** Secret for our JWTs; generated once and kept in the data dir when absent. */
  jwtSecret?: string;
  /** `postgres://…`: the index lives in PostgreSQL (scale-out); absent → SQLite in the data dir. */
  database?: string;
  /** `s3://bucket[/prefix]?endpoint=…&region=…&forcePathStyle=true`; absent → files in the data dir. */
  blobStore?: string;
  /** External OpenID Connect issuers whose tokens are accepted (a portal's own login). */
  oidcIssuers?: OidcIssuerConfig[];
  /** Port of the optional HL7 v2 MLLP listener (ORM^O01 creates and cancels orders); absent → off. */
  hl7Port?: number;
  /** Where ORU^R01 goes when a report is final ("host:port"); absent → not sent. */
  hl7OruEndpoint?: { host: string; port: number };
  /** Audit events older than this are removed by the retention job; absent → kept forever. */
  auditRetentionDays?: number;
}

export const defaultConfig: ArchiveConfig = {
  dataDir: './data',
  host: '127.0.0.1',
  httpPort: 8080,
  dicomPort: 11112,
  aet: 'PACSKIT',
  logLevel: 'info',
  duplicatePolicy: 'keep-first',
  corsOrigins: [],
  unknownCallingAE: 'accept',
  maxAssociations: 64,
};
