import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PacsError } from '@pacskit/dicom';
import type { IngestService } from '../services/IngestService.js';
import { buildDemoInstances, demoStudyIdentity } from './buildDemoInstances.js';
import { demoPatients, demoStudies } from './demoCatalog.js';

export interface SeedDemoDataOptions {
  /** The archive's data directory; the seed leaves its marker there. */
  dataDir: string;
  /** The core's ingest pipeline (the same one STOW-RS and C-STORE use). */
  ingest: Pick<IngestService, 'storeInstance'>;
  /** Study dates are counted back from here (default: now). */
  now?: Date;
  signal?: AbortSignal;
}

/** What the marker file records: which study key got which Study Instance UID. */
export interface DemoSeedRecord {
  version: 1;
  /** The root the demo's UIDs are derived from (createDemoUid). */
  uidRoot: string;
  seededAt: string;
  studies: { key: string; patientId: string; studyInstanceUID: string; accessionNumber: string }[];
  instances: number;
}

export interface SeedDemoDataResult {
  /** False when the data directory had been seeded before (nothing was added). */
  seeded: boolean;
  record: DemoSeedRecord;
}

const markerName = 'demo-seed.json';
const uidRootName = 'demo-seed.uid-root';

/**
 * Seeds the demo data on the first start only: patients with CT, MR, CR, DX and US studies whose
 * pixels are generated phantoms, stored through the ingest pipeline. The marker
 * (`<dataDir>/demo-seed.json`) is written last, so an interrupted seed runs again on the next
 * start; instances stored the first time are then kept (duplicate policy), not doubled.
 */
export async function seedDemoData(options: SeedDemoDataOptions): Promise<SeedDemoDataResult> {
  const marker = join(options.dataDir, markerName);
  const existing = await readMarker(marker);
  if (existing) return { seeded: false, record: existing };
  const now = options.now ?? new Date();
  const uidRoot = await readOrCreateUidRoot(join(options.dataDir, uidRootName));
  const record: DemoSeedRecord = {
    version: 1,
    uidRoot,
    seededAt: now.toISOString(),
    studies: [],
    instances: 0,
  };
  for (const study of demoStudies) {
    const patient = demoPatients.find((candidate) => candidate.key === study.patientKey);
    if (!patient) throw new PacsError('INTERNAL', `demo study ${study.key} names an unknown patient`);
    const identity = demoStudyIdentity(study, now, uidRoot);
    for (const bytes of buildDemoInstances(patient, study, identity, uidRoot)) {
      options.signal?.throwIfAborted();
      const outcome = await options.ingest.storeInstance({
        stream: once(bytes),
        source: { protocol: 'STOW-RS' },
        ...(options.signal ? { signal: options.signal } : {}),
      });
      // A rerun after an interrupted seed meets its own instances again: under the `reject`
      // duplicate policy that is a failure, and still means the instance is stored.
      const alreadyStored = outcome.failure?.code === 'DUPLICATE_INSTANCE';
      if (outcome.status === 'failed' && !alreadyStored) {
        throw new PacsError('INTERNAL', `the demo study ${study.key} could not be stored`, {
          cause: outcome.failure,
        });
      }
      record.instances++;
    }
    record.studies.push({
      key: study.key,
      patientId: patient.patientId,
      studyInstanceUID: identity.studyInstanceUID,
      accessionNumber: study.accessionNumber,
    });
  }
  await writeFile(marker, `${JSON.stringify(record, null, 2)}\n`);
  return { seeded: true, record };
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

async function readMarker(path: string): Promise<DemoSeedRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as DemoSeedRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readOrCreateUidRoot(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const root = randomUUID();
    await writeFile(path, `${root}\n`);
    return root;
  }
}
