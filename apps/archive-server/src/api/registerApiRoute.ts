import { PacsError } from '@pacskit/dicom';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { CredentialRejection } from '../access/createAccessControl.js';
import type { ApiDependencies } from './ApiDependencies.js';
import type { ApiRoute } from './ApiRoute.js';
import { auditRequest } from './auditRequest.js';

/** JSON bodies of the workflow API are small; anything larger is refused with 413 before parsing. */
export const apiBodyLimit = 256 * 1024;

function parse<S extends z.ZodType>(schema: S | undefined, input: unknown, location: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(input ?? (location === 'body' ? undefined : {}));
  if (result.success) return result.data;
  // Paths and messages only: zod's messages do not echo the offending values.
  throw new PacsError('INVALID_ARGUMENT', `invalid ${location}`, {
    details: {
      issues: result.error.issues.slice(0, 20).map((issue) => ({
        location,
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    },
  });
}

/**
 * Mounts one route: authentication and permission in onRequest (before the body is read, so an
 * anonymous caller learns nothing from validation), zod validation of params/query/body, the
 * handler, and the success audit event.
 */
export function registerApiRoute(app: FastifyInstance, route: ApiRoute, deps: ApiDependencies): void {
  app.route({
    method: route.method,
    url: route.url,
    bodyLimit: apiBodyLimit,
    onRequest: async (request) => {
      request.apiRoute = route;
      request.apiAudit = {};
      if (route.auth === 'public') return;
      let principal: Awaited<ReturnType<typeof deps.access.authenticate>>;
      try {
        principal = await deps.access.authenticate(request.headers);
      } catch (error) {
        // Rejected credentials count against the client's auth budget (Basic guessing, token spraying).
        if (error instanceof PacsError && error.cause instanceof CredentialRejection) {
          deps.authRateLimiter.hit(`ip:${request.ip}`);
        }
        throw error;
      }
      if (!principal) throw new PacsError('UNAUTHENTICATED', 'valid credentials are required');
      request.accessPrincipal = principal;
      if (route.auth !== 'authenticated') deps.access.authorize(principal, route.auth);
    },
    handler: async (request, reply) => {
      const params = parse(route.params, request.params, 'path');
      const query = parse(route.query, request.query, 'query');
      const body = parse(route.body, request.body, 'body');
      const audit = request.apiAudit ?? {};
      const result = await route.handler({
        principal: request.accessPrincipal,
        params,
        query,
        body,
        request,
        reply,
        audit,
      });
      if (route.audit) {
        await auditRequest(deps.audit, request, { ...route.audit, outcome: 'success' });
      }
      if (reply.sent) return reply;
      if (result === undefined) return reply.code(204).send();
      reply.code(route.successStatus ?? 200);
      if (typeof result === 'string' || result instanceof Uint8Array) return reply.send(result);
      if (!reply.getHeader('content-type')) reply.type('application/json');
      return reply.send(JSON.stringify(result));
    },
  });
}
