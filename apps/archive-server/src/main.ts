import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import cors from '@fastify/cors';
import { isPacsError } from '@pacskit/dicom';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { openStorage, openStores } from './adapters/openStorage.js';
import type { ArchiveConfig } from './config.js';
import { defaultConfig } from './config.js';
import { dicomwebPlugin } from './dicomweb/dicomwebPlugin.js';
import { Metrics } from './http/Metrics.js';
import { errorHandler } from './http/errorHandler.js';
import type { BlobStore } from './ports/BlobStore.js';
import type { Index } from './ports/Index.js';
import { type AccessControl, createAccessControl } from './access/index.js';
import type { Permission } from './access/permissions.js';
import {
  apiPlugin,
  createAuthenticateHook,
  createHttpAuditHook,
  scopeDicomwebServices,
  studyCatalogFromQueryService,
} from './api/index.js';
import { type AuditLog, createAuditLog } from './audit/createAuditLog.js';
import { dimseAuditEvent } from './audit/dimseAuditEvent.js';
import {
  type DimseServer,
  ScuJobs,
  archiveDimseServices,
  createDimseServer,
  dimseAdminRoutes,
  loadAeTableFile,
} from './dimse/index.js';
import { DeleteService } from './services/DeleteService.js';
import { IngestService, type StoreOutcome } from './services/IngestService.js';
import { QueryService } from './services/QueryService.js';
import { RenderService } from './services/RenderService.js';
import { RetrieveService } from './services/RetrieveService.js';
import { createWorkflow } from './workflow/createWorkflow.js';
import { createHl7Interface } from './workflow/hl7/createHl7Interface.js';
import { type JobQueue, PgBossJobQueue, SqliteJobQueue } from './jobs/index.js';
import { WorklistService, worklistRoutes } from './worklist/index.js';

export interface ArchiveServices {
  ingest: IngestService;
  query: QueryService;
  retrieve: RetrieveService;
  render: RenderService;
  delete: DeleteService;
}

export interface Archive {
  app: FastifyInstance;
  services: ArchiveServices;
  metrics: Metrics;
  config: ArchiveConfig;
  /** Users, tokens, grants, share links and the patient scope (the workflow API's identity side). */
  access: AccessControl;
  audit: AuditLog;
  workflow: ReturnType<typeof createWorkflow>;
  worklist: WorklistService;
  /** The DIMSE front end; not listening until `dimse.listen()` (cli.ts does it after HTTP). */
  dimse: DimseServer;
  /** The HL7 v2 interface when configured (`--hl7-port` / `--hl7-oru-endpoint`); cli.ts listens. */
  hl7: ReturnType<typeof createHl7Interface> | undefined;
  /** The DICOMweb authentication hook, for other routes mounted on `app` (the demo's proxy). */
  authenticate: ReturnType<typeof createAuthenticateHook>;
  /** Set when the admin password was generated at this start: print it once. */
  generatedAdminPassword: string | undefined;
  /** Stops the HTTP server (if listening) and closes the index. */
  close(): Promise<void>;
}

/**
 * The composition root (DESIGN.md): builds the adapters, hands them to the services, and mounts
 * the front ends. Nothing else constructs an Index or a BlobStore. Does not listen; call
 * `archive.app.listen(...)` (cli.ts does).
 */
export interface CreateArchiveOptions {
  /** Where log lines go (default stdout); tests pass a stream to check what is logged. */
  logStream?: NodeJS.WritableStream;
}

export async function createArchive(
  overrides: Partial<ArchiveConfig> = {},
  options: CreateArchiveOptions = {},
): Promise<Archive> {
  const config: ArchiveConfig = { ...defaultConfig, ...overrides };
  const dataDir = resolve(config.dataDir);
  // Embedded (SQLite + files under the data dir) or scale-out (PostgreSQL + S3-compatible storage).
  const storage = await openStorage({
    dataDir,
    ...(config.database ? { database: config.database } : {}),
    ...(config.blobStore ? { blobStore: config.blobStore } : {}),
  });
  const sharedStorage = config.database !== undefined || config.blobStore !== undefined;
  const index: Index = storage.index;
  const blobStore: BlobStore = storage.blobs;
  const metrics = new Metrics();
  // Bound once the workflow exists: it needs the ingest pipeline to store report SRs.
  let onInstanceStored: ((outcome: StoreOutcome, bytes: number) => void) | undefined;
  const ingest = new IngestService({
    index,
    blobStore,
    stagingDir: join(dataDir, 'tmp'),
    duplicatePolicy: config.duplicatePolicy,
    onOutcome: (outcome, bytes) => {
      if (outcome.status === 'failed') metrics.instancesFailed++;
      else metrics.instancesStored++;
      metrics.bytesIn += bytes;
      onInstanceStored?.(outcome, bytes);
    },
  });
  const orphans = await ingest.cleanOrphans({ removeUnreferencedBlobs: !sharedStorage });
  const retrieve = new RetrieveService(index, blobStore);
  const services: ArchiveServices = {
    ingest,
    query: new QueryService(index),
    retrieve,
    render: new RenderService(retrieve),
    delete: new DeleteService(index, blobStore),
  };

  // The workflow, access, audit, worklist and AE-table stores live beside the index: in its SQLite
  // file, or in the shared PostgreSQL database so that several processes are one archive.
  const stores = await openStores({ dataDir, ...(config.database ? { database: config.database } : {}) });
  const clock = { now: () => Date.now() };
  const access = createAccessControl({
    store: stores.access,
    clock,
    config: {
      jwtSecret: await stores.jwtSecret(config.jwtSecret),
      ...(config.oidcIssuers ? { oidc: config.oidcIssuers } : {}),
    },
  });
  const audit = createAuditLog({
    store: stores.audit,
    clock,
    ...(config.auditRetentionDays === undefined ? {} : { retentionDays: config.auditRetentionDays }),
  });
  let workflowRef: ReturnType<typeof createWorkflow> | undefined;
  const worklist = new WorklistService(stores.worklist, {
    onPerformedStepStatus: async (event) => workflowRef?.onMppsStatus(event),
  });
  // The optional HL7 v2 interface: ORM^O01 in (listening from the CLI), ORU^R01 out on a final report.
  let hl7: ReturnType<typeof createHl7Interface> | undefined;
  const workflow = createWorkflow({
    store: stores.workflow,
    clock,
    sink: worklist,
    ...(config.hl7OruEndpoint
      ? {
          onReportFinal: async (report) => {
            const order = report.orderId ? await workflow.store.findOrder(report.orderId) : undefined;
            await hl7?.sendOru(report, order);
          },
        }
      : {}),
    storeInstance: async (bytes) => {
      const outcome = await ingest.storeInstance({
        stream: Readable.from([bytes]),
        source: { protocol: 'STOW-RS' },
      });
      if (outcome.status === 'failed') throw outcome.failure;
    },
  });
  workflowRef = workflow;
  if (config.hl7Port !== undefined || config.hl7OruEndpoint) {
    hl7 = createHl7Interface({
      orders: workflow.orders,
      audit,
      clock,
      ...(config.hl7OruEndpoint ? { oruEndpoint: config.hl7OruEndpoint } : {}),
    });
  }
  onInstanceStored = (outcome, bytes) => {
    const { studyInstanceUID, seriesInstanceUID, sopInstanceUID } = outcome;
    if (outcome.status === 'failed' || !studyInstanceUID || !seriesInstanceUID || !sopInstanceUID) return;
    const { accessionNumber, modality, newStudy } = outcome;
    const event = {
      studyInstanceUID,
      seriesInstanceUID,
      sopInstanceUID,
      bytes,
      ...(accessionNumber ? { accessionNumber } : {}),
      ...(modality ? { modality } : {}),
      ...(newStudy ? { newStudy } : {}),
    };
    workflow.onInstanceStored(event).catch(() => {
      // Order status and webhooks are best effort here; the instance itself is stored.
    });
  };

  // The first start creates the admin account, with PACSKIT_ADMIN_PASSWORD or a generated password
  // that is printed once (only its scrypt hash is kept).
  let generatedAdminPassword: string | undefined;
  if (!(await access.store.findUserByUsername('admin'))) {
    if (config.adminPassword === undefined) generatedAdminPassword = randomBytes(15).toString('base64url');
    const password = config.adminPassword ?? generatedAdminPassword ?? '';
    await access.createUser({ username: 'admin', password, roles: ['ADMIN'] }).catch((error: unknown) => {
      // Another process sharing the database created it first: its password stands, not ours.
      if (!isPacsError(error) || error.code !== 'CONFLICT') throw error;
      generatedAdminPassword = undefined;
    });
  }
  const authenticate = createAuthenticateHook(access, audit);
  const authenticateFor = (permission: (method: string) => Permission) =>
    createAuthenticateHook(access, audit, { permissionFor: (request) => permission(request.method) });

  const aeTable = stores.aeTable;
  if (config.aeTablePath) await aeTable.upsertAll(await loadAeTableFile(config.aeTablePath));
  const dimseServices = archiveDimseServices({ ingest, query: services.query, retrieve, worklist });

  const logger = pino(
    {
      level: config.logLevel,
      // No patient data in logs: requests are logged by path only (no query string), never bodies.
      redact: ['req.headers.authorization'],
      serializers: {
        req: (request: { method: string; url: string }) => ({
          method: request.method,
          path: request.url.split('?')[0],
        }),
      },
    },
    options.logStream ?? process.stdout,
  );
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 32 * 1024 * 1024,
  });
  app.setErrorHandler(errorHandler);
  // Background jobs (SCU moves, forwards, retries) outlive a restart: pg-boss on the shared
  // PostgreSQL in scale-out mode (each job runs once across the processes), index.sqlite embedded.
  const jobQueue: JobQueue = config.database
    ? await PgBossJobQueue.open({
        connectionString: config.database,
        onError: (error) => app.log.error({ err: error }, 'job queue error'),
      })
    : SqliteJobQueue.open(join(dataDir, 'index.sqlite'));
  const scuJobs = new ScuJobs({
    queue: jobQueue,
    context: { callingAE: config.aet, ...(config.dicomTls ? { tls: config.dicomTls } : {}) },
    aeTable,
    services: dimseServices,
    logger: app.log,
  });
  app.log.info({ orphans }, 'startup cleanup done');
  if (config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: config.corsOrigins.includes('*') ? true : config.corsOrigins,
      credentials: true,
      exposedHeaders: ['Content-Type', 'Content-Location', 'WWW-Authenticate'],
    });
  }
  app.addHook('onResponse', async (request, reply) => {
    const length = Number(reply.getHeader('content-length') ?? 0);
    if (Number.isFinite(length)) metrics.bytesOut += length;
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      const instances = await index.countInstances();
      return { status: 'ready', instances };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    reply.type('text/plain; version=0.0.4');
    return metrics.render();
  });
  await app.register(dicomwebPlugin, { services: scopeDicomwebServices(services), authenticate });
  const httpAudit = createHttpAuditHook(
    audit,
    (url) => url.startsWith('/dicom-web') || url.startsWith('/wado'),
  );
  app.addHook('onResponse', httpAudit);
  // Access records are group-committed: a clean shutdown commits the ones still waiting.
  app.addHook('onClose', httpAudit.flush);
  await app.register(apiPlugin, {
    access,
    audit,
    workflow,
    studies: studyCatalogFromQueryService(services.query),
    clock,
  });
  await app.register(worklistRoutes, {
    service: worklist,
    authenticate: authenticateFor((method) => (method === 'GET' ? 'radiology:view' : 'radiology:create')),
  });
  await app.register(dimseAdminRoutes, {
    aeTable,
    jobs: scuJobs,
    authenticate: authenticateFor(() => 'radiology:manage'),
  });
  const dimseServer = createDimseServer({
    host: config.host,
    port: config.dicomPort,
    aeTitle: config.aet,
    services: dimseServices,
    aeTable,
    policy: { unknownCallingAE: config.unknownCallingAE },
    limits: { maxAssociations: config.maxAssociations },
    logger: app.log,
    ...(config.dicomTls ? { tls: config.dicomTls } : {}),
    // Every DIMSE operation and refused association goes to the audit trail, as HTTP requests do;
    // the server's close() waits for the returned write.
    onOperation: (event) =>
      audit
        .record(
          dimseAuditEvent({
            operation: event.operation,
            callingAE: event.callingAE,
            remoteAddress: event.remoteAddress,
            status: event.status,
            ...(event.studyInstanceUID ? { studyInstanceUID: event.studyInstanceUID } : {}),
          }),
        )
        .catch((error: unknown) => app.log.error({ err: error }, 'audit of a DIMSE operation failed')),
  });
  // SCU jobs (queued ones from before a restart too) start once the SCP listens: a C-MOVE into
  // this archive needs it.
  const dimse: DimseServer = {
    listen: async () => {
      await dimseServer.listen();
      await scuJobs.start();
    },
    close: () => dimseServer.close(),
    address: () => dimseServer.address(),
  };
  const stopWebhooks = workflow.webhooks.start();
  const stopRetention = audit.startRetention();

  let closed = false;
  return {
    app,
    services,
    metrics,
    config,
    access,
    audit,
    workflow,
    worklist,
    dimse,
    hl7,
    authenticate,
    generatedAdminPassword,
    async close() {
      if (closed) return;
      closed = true;
      stopWebhooks();
      stopRetention();
      await jobQueue.close();
      await dimse.close();
      await app.close();
      await stores.close();
      await storage.close();
    },
  };
}
