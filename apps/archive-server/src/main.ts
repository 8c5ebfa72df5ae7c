import { join, resolve } from 'node:path';
import cors from '@fastify/cors';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { FsBlobStore } from './adapters/fs/FsBlobStore.js';
import { SqliteIndex } from './adapters/sqlite/SqliteIndex.js';
import type { ArchiveConfig } from './config.js';
import { defaultConfig } from './config.js';
import { dicomwebPlugin } from './dicomweb/dicomwebPlugin.js';
import { Metrics } from './http/Metrics.js';
import { errorHandler } from './http/errorHandler.js';
import type { BlobStore } from './ports/BlobStore.js';
import type { Index } from './ports/Index.js';
import { type AdminCredentials, createBasicAuthHook, loadAdminCredentials } from './security/basicAuth.js';
import { DeleteService } from './services/DeleteService.js';
import { IngestService } from './services/IngestService.js';
import { QueryService } from './services/QueryService.js';
import { RenderService } from './services/RenderService.js';
import { RetrieveService } from './services/RetrieveService.js';

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
  const index: Index = new SqliteIndex(join(dataDir, 'index.sqlite'));
  const blobStore: BlobStore = new FsBlobStore(join(dataDir, 'blobs'));
  const metrics = new Metrics();
  const ingest = new IngestService({
    index,
    blobStore,
    stagingDir: join(dataDir, 'tmp'),
    duplicatePolicy: config.duplicatePolicy,
    onOutcome: (outcome, bytes) => {
      if (outcome.status === 'failed') metrics.instancesFailed++;
      else metrics.instancesStored++;
      metrics.bytesIn += bytes;
    },
  });
  const orphans = await ingest.cleanOrphans();
  const retrieve = new RetrieveService(index, blobStore);
  const services: ArchiveServices = {
    ingest,
    query: new QueryService(index),
    retrieve,
    render: new RenderService(retrieve),
    delete: new DeleteService(index, blobStore),
  };
  const credentials: AdminCredentials = loadAdminCredentials(dataDir, config.adminPassword);

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
  await app.register(dicomwebPlugin, { services, authenticate: createBasicAuthHook(credentials) });

  let closed = false;
  return {
    app,
    services,
    metrics,
    config,
    generatedAdminPassword: credentials.generatedPassword,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await index.close();
    },
  };
}
