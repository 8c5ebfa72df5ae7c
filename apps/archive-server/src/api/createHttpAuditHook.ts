import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../access/Principal.js';
import type { AuditCategory } from '../audit/AuditEvent.js';
import type { AuditLog } from '../audit/createAuditLog.js';

function stringParam(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' && /^[0-9.]{1,64}$/.test(v) ? v : undefined;
}

/**
 * An onResponse hook that audits every DICOMweb request (PS3.15 A.5.3: Query for QIDO-RS,
 * Instances Accessed for WADO, Import for STOW-RS): actor, route pattern, study UID from the path
 * or the WADO-URI query, client address, HTTP status and outcome. Requests refused before a
 * principal existed are already audited by `createAuthenticateHook`. Register it inside the
 * DICOMweb plugin's scope (or filter with `include`) so API routes are not audited twice.
 */
export function createHttpAuditHook(audit: AuditLog, include: (url: string) => boolean = () => true) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const principal = (request as FastifyRequest & { accessPrincipal?: Principal }).accessPrincipal;
    if (!principal || !include(request.url)) return;
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const study = stringParam(request.params, 'study') ?? stringParam(request.query, 'studyUID');
    const category: AuditCategory =
      request.method === 'POST'
        ? 'import'
        : /\/(studies|series|instances)$/.test(route)
          ? 'query'
          : 'instances-accessed';
    await audit
      .record({
        type: `dicomweb.${request.method.toLowerCase()}`,
        category,
        action:
          request.method === 'POST'
            ? 'C'
            : request.method === 'DELETE'
              ? 'D'
              : category === 'query'
                ? 'E'
                : 'R',
        outcome:
          status < 400
            ? 'success'
            : status === 401 || status === 403 || status === 404
              ? 'denied'
              : 'failure',
        actor: principal.subject,
        actorRoles: principal.roles,
        sourceAddress: request.ip,
        protocol: 'http',
        operation: `${request.method} ${route}`,
        ...(study !== undefined ? { studyInstanceUID: study } : {}),
        detail: { status },
      })
      .catch((error: unknown) => request.log.error({ err: error }, 'audit write failed'));
  };
}
