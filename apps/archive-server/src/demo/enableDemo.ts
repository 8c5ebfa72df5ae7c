import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IngestService } from '../services/IngestService.js';
import { orthancProxyPath, portalRoutes } from './portalRoutes.js';
import { type SeedDemoDataResult, seedDemoData } from './seedDemoData.js';
import { type DemoAccount, type SeedDemoWorkflowOptions, seedDemoWorkflow } from './seedDemoWorkflow.js';

/** The parts of `createArchive()`'s result the demo uses. */
export interface DemoArchive {
  app: FastifyInstance;
  services: { ingest: Pick<IngestService, 'storeInstance'> };
}

export interface EnableDemoOptions {
  dataDir: string;
  /** The built portal; default apps/portal/dist next to this package. */
  portalDistDir?: string;
  /** A second archive (Orthanc DICOMweb root) for the portal's federated mode, proxied same-origin. */
  orthancUrl?: string;
  /** The DICOMweb authentication hook, applied to the Orthanc proxy too. */
  authenticate?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /**
   * The workflow API's services, once the composition root has them: with both, the demo also
   * gets accounts, orders, reports and annotations.
   */
  access?: SeedDemoWorkflowOptions['access'];
  workflow?: SeedDemoWorkflowOptions['workflow'];
  /** One password for every demo account (PACSKIT_DEMO_PASSWORD); generated and printed otherwise. */
  demoPassword?: string;
  signal?: AbortSignal;
}

export interface DemoStart {
  imaging: SeedDemoDataResult;
  /** Whether the workflow part ran (false without access/workflow services). */
  workflowSeeded: boolean;
  /** Accounts created at this start, with their passwords: print them once. */
  accounts: DemoAccount[];
}

/** apps/archive-server/{src,dist}/demo → apps/portal/dist */
export const defaultPortalDistDir = fileURLToPath(new URL('../../../portal/dist/', import.meta.url));

/**
 * Everything `start:demo` adds to a plain archive: the sample data (first start only) and the
 * portal on the same origin. Call it after `createArchive()` and before `app.listen()`.
 */
export async function enableDemo(archive: DemoArchive, options: EnableDemoOptions): Promise<DemoStart> {
  const imaging = await seedDemoData({
    dataDir: options.dataDir,
    ingest: archive.services.ingest,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const workflowSeed =
    options.access && options.workflow
      ? await seedDemoWorkflow({
          dataDir: options.dataDir,
          access: options.access,
          workflow: options.workflow,
          imaging: imaging.record,
          ...(options.demoPassword ? { password: options.demoPassword } : {}),
        })
      : undefined;
  await archive.app.register(portalRoutes, {
    distDir: options.portalDistDir ?? defaultPortalDistDir,
    ...(options.orthancUrl
      ? {
          orthancUrl: options.orthancUrl,
          portalConfig: { orthancUrl: orthancProxyPath, orthancLabel: 'orthanc' },
          ...(options.authenticate ? { authenticate: options.authenticate } : {}),
        }
      : {}),
  });
  return { imaging, workflowSeeded: workflowSeed !== undefined, accounts: workflowSeed?.accounts ?? [] };
}

export interface DemoBannerInput {
  url: string;
  demo: DemoStart;
  /** Set when the admin password was generated at this start. */
  adminPassword?: string;
  dataDir: string;
}

/** What `start:demo` prints: where to go and how to log in. */
export function demoBanner({ url, demo, adminPassword, dataDir }: DemoBannerInput): string {
  const { imaging, accounts } = demo;
  const lines = [
    '',
    `  PacsKit demo: open ${url}/`,
    '',
    imaging.seeded
      ? `  Sample data created: ${imaging.record.studies.length} studies, ${imaging.record.instances} images.`
      : `  Reusing the data in ${dataDir} (seeded ${imaging.record.seededAt}).`,
  ];
  const rows = [
    ...(adminPassword ? [{ username: 'admin', password: adminPassword, purpose: 'administrator' }] : []),
    ...accounts.map(({ username, password, purpose }) => ({ username, password, purpose })),
  ];
  if (rows.length > 0) {
    lines.push('', '  Sign in as (printed this once; keep them):');
    for (const row of rows)
      lines.push(`    ${row.username.padEnd(13)} ${row.password.padEnd(16)} ${row.purpose}`);
  } else {
    lines.push(
      '',
      '  Sign in with the accounts printed at the first start (or PACSKIT_DEMO_PASSWORD, if set).',
    );
  }
  if (!demo.workflowSeeded)
    lines.push('', '  (No workflow API in this archive: no demo accounts, orders or reports.)');
  lines.push('', '  Ctrl-C stops the archive; the next start reuses the data.', '');
  return lines.join('\n');
}
