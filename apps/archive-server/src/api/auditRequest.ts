import type { FastifyRequest } from 'fastify';
import type { Principal } from '../access/Principal.js';
import type { AuditAction, AuditCategory, AuditOutcome } from '../audit/AuditEvent.js';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { ApiRoute, AuditContext } from './ApiRoute.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The principal resolved by the access module (richer than the core's `principal`). */
    accessPrincipal?: Principal;
    apiAudit?: AuditContext;
    apiRoute?: ApiRoute;
  }
}

/** Writes one audit event for an HTTP request: actor, source address, route pattern, outcome. */
export function auditRequest(
  audit: AuditLog,
  request: FastifyRequest,
  event: {
    type: string;
    category: AuditCategory;
    action: AuditAction;
    outcome: AuditOutcome;
    extra?: Record<string, string | number | boolean>;
  },
) {
  const principal = request.accessPrincipal;
  const context = request.apiAudit ?? {};
  const detail = { ...context.detail, ...event.extra };
  return audit.record({
    type: event.type,
    category: event.category,
    action: event.action,
    outcome: event.outcome,
    actor: principal?.subject ?? 'anonymous',
    ...(principal ? { actorRoles: principal.roles } : {}),
    sourceAddress: request.ip,
    protocol: 'http',
    operation: `${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
    ...(context.patientId !== undefined ? { patientId: context.patientId } : {}),
    ...(context.studyInstanceUID !== undefined ? { studyInstanceUID: context.studyInstanceUID } : {}),
    ...(Object.keys(detail).length ? { detail } : {}),
  });
}
