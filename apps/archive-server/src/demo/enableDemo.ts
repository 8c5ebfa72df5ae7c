import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { IngestService } from '../services/IngestService.js';
import { portalRoutes } from './portalRoutes.js';
import { type SeedDemoDataResult, seedDemoData } from './seedDemoData.js';

/** The parts of `createArchive()`'s result the demo uses. */
export interface DemoArchive {
  app: FastifyInstance;
  services: { ingest: Pick<IngestService, 'storeInstance'> };
}

export interface EnableDemoOptions {
  dataDir: string;
  /** The built portal; default apps/portal/dist next to this package. */
  portalDistDir?: string;
  /** A second archive (Orthanc DICOMweb root) for the portal's federated mode. */
  orthancUrl?: string;
  signal?: AbortSignal;
}

/** apps/archive-server/{src,dist}/demo → apps/portal/dist */
export const defaultPortalDistDir = fileURLToPath(new URL('../../../portal/dist/', import.meta.url));

/**
 * Everything `start:demo` adds to a plain archive: the sample data (first start only) and the
 * portal on the same origin. Call it after `createArchive()` and before `app.listen()`.
 */
export async function enableDemo(
  archive: DemoArchive,
  options: EnableDemoOptions,
): Promise<SeedDemoDataResult> {
  const seed = await seedDemoData({
    dataDir: options.dataDir,
    ingest: archive.services.ingest,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  await archive.app.register(portalRoutes, {
    distDir: options.portalDistDir ?? defaultPortalDistDir,
    ...(options.orthancUrl
      ? { portalConfig: { orthancUrl: options.orthancUrl, orthancLabel: 'Orthanc' } }
      : {}),
  });
  return seed;
}

export interface DemoBannerInput {
  url: string;
  seed: SeedDemoDataResult;
  /** Accounts whose password is known at this start (generated now or set by env). */
  accounts: { username: string; password: string; role: string }[];
  dataDir: string;
}

/** What `start:demo` prints: where to go and how to log in. */
export function demoBanner({ url, seed, accounts, dataDir }: DemoBannerInput): string {
  const lines = [
    '',
    `  PacsKit demo: open ${url}/`,
    '',
    seed.seeded
      ? `  Sample data created: ${seed.record.studies.length} studies, ${seed.record.instances} images.`
      : `  Reusing the data in ${dataDir} (seeded ${seed.record.seededAt}).`,
  ];
  if (accounts.length > 0) {
    lines.push('', '  Sign in as (passwords are printed only when they are generated):');
    for (const account of accounts) {
      lines.push(`    ${account.username.padEnd(14)} ${account.password.padEnd(26)} ${account.role}`);
    }
  } else {
    lines.push('', '  Sign in with the accounts printed at the first start (or set by PACSKIT_* variables).');
  }
  lines.push('', '  Ctrl-C stops the archive; the next start reuses the data.', '');
  return lines.join('\n');
}
