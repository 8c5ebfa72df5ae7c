import { readFile } from 'node:fs/promises';
import { PacsError } from '@pacskit/dicom';
import { z } from 'zod';
import { type DimseService, dimseServices } from './sopClasses.js';

/** A known remote application entity (PS3.7 D.3.3.1 AE titles are up to 16 characters). */
export interface RemoteApplicationEntity {
  aeTitle: string;
  host: string;
  port: number;
  /** Services this AE may use as our SCU; undefined allows all. */
  allowedServices?: readonly DimseService[];
  /** Connect to it with DICOM TLS (PS3.15 B.1). */
  tls?: boolean;
}

/** Where known remote AEs come from: a file at start, the index, an admin route. */
export interface AeTable {
  lookup(aeTitle: string): RemoteApplicationEntity | undefined | Promise<RemoteApplicationEntity | undefined>;
}

const aeTitleSchema = z
  .string()
  .min(1)
  .max(16)
  .regex(/^[\x20-\x5b\x5d-\x7e]+$/, 'AE titles use the default character set without backslash');

const entrySchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  allowedServices: z.array(z.enum(dimseServices as [DimseService, ...DimseService[]])).optional(),
  tls: z.boolean().optional(),
});

/** `{"STORESCP": {"host": "127.0.0.1", "port": 11113}}`, the `--ae-table FILE.json` format. */
export const aeTableFileSchema = z.record(aeTitleSchema, entrySchema);

export function parseAeTable(json: unknown): RemoteApplicationEntity[] {
  const parsed = aeTableFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new PacsError('INVALID_ARGUMENT', 'invalid AE table', { details: { issues: parsed.error.issues } });
  }
  return Object.entries(parsed.data).map(([aeTitle, entry]) => ({
    aeTitle,
    host: entry.host,
    port: entry.port,
    ...(entry.allowedServices ? { allowedServices: entry.allowedServices } : {}),
    ...(entry.tls === undefined ? {} : { tls: entry.tls }),
  }));
}

export async function loadAeTableFile(path: string): Promise<RemoteApplicationEntity[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new PacsError('INVALID_ARGUMENT', 'cannot read AE table file', { cause, details: { path } });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new PacsError('INVALID_ARGUMENT', 'AE table file is not JSON', { cause, details: { path } });
  }
  return parseAeTable(json);
}

/** An AE table held in memory (from `--ae-table`, or in tests); `set`/`delete` back admin routes. */
export class MemoryAeTable implements AeTable {
  readonly #entries = new Map<string, RemoteApplicationEntity>();

  constructor(entries: readonly RemoteApplicationEntity[] = []) {
    for (const entry of entries) this.#entries.set(entry.aeTitle, entry);
  }

  lookup(aeTitle: string): RemoteApplicationEntity | undefined {
    return this.#entries.get(aeTitle.trim());
  }

  set(entry: RemoteApplicationEntity): void {
    this.#entries.set(entry.aeTitle, entry);
  }

  delete(aeTitle: string): boolean {
    return this.#entries.delete(aeTitle);
  }

  list(): RemoteApplicationEntity[] {
    return [...this.#entries.values()];
  }
}
