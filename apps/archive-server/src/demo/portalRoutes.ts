import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import fastifyStatic from '@fastify/static';
import { PacsError } from '@pacskit/dicom';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

export interface PortalRoutesOptions {
  /** The built portal (apps/portal/dist). */
  distDir: string;
  /**
   * Served as `/portal-config.json`, read by the portal at start (e.g. `{ orthancUrl }` for the
   * federated mode). Without it, a `portal-config.json` in `distDir`, if any, is served.
   */
  portalConfig?: Record<string, unknown>;
  /**
   * A second archive's DICOMweb root (Orthanc), read-only proxied at `/orthanc/dicom-web` so the
   * portal's federated mode stays same-origin (Orthanc 1.10 sends no CORS headers).
   */
  orthancUrl?: string;
  /** Authenticates proxied requests (the DICOMweb hook); without it the proxy is open. */
  authenticate?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

/** Where the portal finds the proxied Orthanc. */
export const orthancProxyPath = '/orthanc/dicom-web';

/** Paths the archive's own front ends answer: never replaced by the portal's index.html. */
const archivePrefixes = [
  '/dicom-web',
  '/api',
  '/wado',
  '/fhir',
  '/orthanc',
  '/healthz',
  '/readyz',
  '/metrics',
];

/**
 * Serves the demo portal on the archive's own origin (no CORS): its files at `/`, and index.html
 * for any other GET a browser makes for a page (single-page-app fallback), so a reload of a portal
 * URL works. Archive paths keep their own 404s.
 */
export const portalRoutes: FastifyPluginAsync<PortalRoutesOptions> = async (app, options) => {
  const root = resolve(options.distDir);
  const config = options.portalConfig;
  if (config) app.get('/portal-config.json', async () => config);
  if (options.orthancUrl)
    await app.register(orthancProxy, { upstream: options.orthancUrl, authenticate: options.authenticate });
  if (!existsSync(join(root, 'index.html'))) {
    app.get('/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(
          'The portal is not built: run `pnpm --filter @pacskit/portal build`, then restart the archive.\n',
        ),
    );
    return;
  }
  // wildcard: false registers one route per file found now; files of a later build are served by
  // the fallback below (`sendFile` keeps them inside root), so a rebuild needs no restart.
  await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'], cacheControl: false });
  app.get('/*', async (request, reply) => {
    const path = decodeURIComponent(request.url.split('?')[0] ?? '/');
    if (archivePrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
      return reply.callNotFound();
    }
    if (/\.[a-z0-9]+$/i.test(path)) return reply.sendFile(path.slice(1), root);
    if (!(request.headers.accept ?? '').includes('text/html')) return reply.callNotFound();
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html', root);
  });
};

/**
 * Headers worth passing back from the upstream archive. Not Content-Length: fetch decompresses a
 * gzip answer, so the upstream length would be the compressed one and cut the body short.
 */
const passedHeaders = ['content-type', 'content-location'];

const orthancProxy: FastifyPluginAsync<
  Pick<PortalRoutesOptions, 'authenticate'> & { upstream: string }
> = async (app, options) => {
  const upstream = options.upstream.replace(/\/+$/, '');
  if (options.authenticate) app.addHook('onRequest', options.authenticate);
  // GET only: QIDO-RS, WADO-RS, rendered and thumbnails. The demo never writes to the peer.
  app.get(`${orthancProxyPath}/*`, async (request, reply) => {
    const rest = request.url.slice(orthancProxyPath.length);
    let response: Response;
    try {
      response = await fetch(`${upstream}${rest}`, {
        headers: { accept: request.headers.accept ?? '*/*' },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (cause) {
      throw new PacsError('NETWORK_ERROR', 'the second archive did not answer', { cause });
    }
    reply.code(response.status);
    for (const name of passedHeaders) {
      const value = response.headers.get(name);
      if (value) reply.header(name, value);
    }
    if (!response.body) return reply.send();
    return reply.send(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>));
  });
};
