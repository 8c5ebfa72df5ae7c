import type { FastifyInstance } from 'fastify';
import { createRateLimiter } from '../access/createRateLimiter.js';
import type { ApiDependencies } from './ApiDependencies.js';
import type { ApiRoute } from './ApiRoute.js';
import { accessRoutes } from './accessRoutes.js';
import { adminRoutes } from './adminRoutes.js';
import { annotationRoutes } from './annotationRoutes.js';
import { createApiErrorHandler } from './apiErrorHandler.js';
import { authRoutes } from './authRoutes.js';
import { openApiDocument } from './openApiDocument.js';
import { orderRoutes } from './orderRoutes.js';
import { registerApiRoute } from './registerApiRoute.js';
import { reportRoutes } from './reportRoutes.js';
import { studyRoutes } from './studyRoutes.js';

export type ApiPluginOptions = Omit<ApiDependencies, 'authRateLimiter'> & {
  /** Auth attempts per client address per minute (default 20). */
  authAttemptsPerMinute?: number;
};

/** Every route of the API, in the order the OpenAPI document lists them. */
export function apiRoutes(deps: ApiDependencies): ApiRoute[] {
  return [
    ...authRoutes(deps),
    ...accessRoutes(deps),
    ...studyRoutes(deps),
    ...orderRoutes(deps),
    ...reportRoutes(deps),
    ...annotationRoutes(deps),
    ...adminRoutes(deps),
  ];
}

/** Response headers for a JSON API that is never framed, sniffed or cached (OWASP secure headers). */
const securityHeaders: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-site',
};

/**
 * The workflow API (`/api/v1`), its OpenAPI document (`/api/openapi.json`) and FHIR ImagingStudy
 * (`/fhir`), as one encapsulated Fastify plugin. Register it without a prefix; routes carry their
 * full paths. CORS is the app's (main.ts) and applies here too.
 */
export async function apiPlugin(app: FastifyInstance, options: ApiPluginOptions): Promise<void> {
  const deps: ApiDependencies = {
    ...options,
    authRateLimiter: createRateLimiter({
      limit: options.authAttemptsPerMinute ?? 20,
      windowMs: 60_000,
      clock: options.clock,
    }),
  };
  const routes = apiRoutes(deps);
  const document = openApiDocument(routes);
  app.setErrorHandler(createApiErrorHandler(deps.audit));
  // JSON only: without this Fastify would hand text/plain bodies to the routes as strings.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(securityHeaders)) reply.header(name, value);
    return payload;
  });
  app.get('/api/openapi.json', async (_request, reply) => reply.type('application/json').send(document));
  for (const route of routes) registerApiRoute(app, route, deps);
}
