import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

export interface PortalRoutesOptions {
  /** The built portal (apps/portal/dist). */
  distDir: string;
  /**
   * Served as `/portal-config.json`, read by the portal at start (e.g. `{ orthancUrl }` for the
   * federated mode). Without it, a `portal-config.json` in `distDir`, if any, is served.
   */
  portalConfig?: Record<string, unknown>;
}

/** Paths the archive's own front ends answer: never replaced by the portal's index.html. */
const archivePrefixes = ['/dicom-web', '/api', '/wado', '/healthz', '/readyz', '/metrics'];

/**
 * Serves the demo portal on the archive's own origin (no CORS): its files at `/`, and index.html
 * for any other GET a browser makes for a page (single-page-app fallback), so a reload of a portal
 * URL works. Archive paths keep their own 404s.
 */
export const portalRoutes: FastifyPluginAsync<PortalRoutesOptions> = async (app, options) => {
  const root = resolve(options.distDir);
  const config = options.portalConfig;
  if (config) app.get('/portal-config.json', async () => config);
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
