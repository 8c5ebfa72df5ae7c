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
};
