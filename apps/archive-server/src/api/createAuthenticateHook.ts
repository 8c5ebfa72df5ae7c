import { PacsError } from '@pacskit/dicom';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CredentialRejection } from '../access/createAccessControl.js';
import type { AccessControl } from '../access/createAccessControl.js';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { Permission } from '../access/permissions.js';
import { type Clock, systemClock } from '../access/AccessConfig.js';
import { createRateLimiter } from '../access/createRateLimiter.js';
import { canDownload } from '../access/PatientScope.js';

/** DICOMweb: reading needs radiology:view, STOW-RS radiology:upload, DELETE radiology:manage. */
export function dicomwebPermission(request: FastifyRequest): Permission | undefined {
  switch (request.method) {
    case 'GET':
    case 'HEAD':
      return 'radiology:view';
    case 'POST':
    case 'PUT':
      return 'radiology:upload';
    case 'DELETE':
      return 'radiology:manage';
    default:
      return undefined;
  }
}

/**
 * Whether the request downloads DICOM objects rather than viewing them: WADO-RS retrieval of whole
 * studies, series or instances (PS3.18 10.4.1.1.1) and WADO-URI with application/dicom. Metadata,
 * frames, rendered images and thumbnails are what a viewer needs and stay allowed with `view`.
 */
export function isDownload(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;
  const route = request.routeOptions.url ?? '';
  if (/\/(studies\/:study|series\/:series|instances\/:instance)$/.test(route)) return true;
  const contentType = (request.query as { contentType?: unknown } | undefined)?.contentType;
  return typeof contentType === 'string' && contentType.includes('application/dicom');
}

/**
 * The onRequest hook for other front ends (DICOMweb): resolves the principal from any of our
 * credentials (Bearer JWT/OIDC, Basic, X-API-Key, X-Share-Token) into `request.principal` (the
 * core's field) and `request.accessPrincipal`, or answers 401 and audits the refusal.
 */
export function createAuthenticateHook(
  access: AccessControl,
  audit: AuditLog,
  options: {
    permissionFor?: (request: FastifyRequest) => Permission | undefined;
    /** Rejected credentials per client address per minute before 429 (default 20): slows Basic guessing. */
    failedAttemptsPerMinute?: number;
    clock?: Clock;
  } = {},
) {
  const permissionFor = options.permissionFor ?? dicomwebPermission;
  const limiter = createRateLimiter({
    limit: options.failedAttemptsPerMinute ?? 20,
    windowMs: 60_000,
    clock: options.clock ?? systemClock,
  });
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.method === 'OPTIONS') return; // CORS preflight carries no credentials
    let failure: PacsError | undefined;
    try {
      const principal = await access.authenticate(request.headers);
      if (principal) {
        Object.assign(request, { principal, accessPrincipal: principal });
        const permission = permissionFor(request);
        if (permission !== undefined && !access.can(principal, permission)) {
          await audit.record({
            type: 'access.forbidden',
            category: 'security-alert',
            action: request.method === 'GET' ? 'R' : request.method === 'DELETE' ? 'D' : 'C',
            outcome: 'denied',
            actor: principal.subject,
            actorRoles: principal.roles,
            sourceAddress: request.ip,
            protocol: 'http',
            operation: `${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
            detail: { permission },
          });
          throw new PacsError('FORBIDDEN', 'this operation is not permitted', { details: { permission } });
        }
        if (!canDownload(principal.patientScope) && isDownload(request)) {
          await audit.record({
            type: 'access.download-denied',
            category: 'export',
            action: 'R',
            outcome: 'denied',
            actor: principal.subject,
            actorRoles: principal.roles,
            sourceAddress: request.ip,
            protocol: 'http',
            operation: `${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
          });
          throw new PacsError('FORBIDDEN', 'this access allows viewing, not downloading', {
            details: { accessType: 'view' },
          });
        }
        return;
      }
      failure = new PacsError('UNAUTHENTICATED', 'valid credentials are required');
    } catch (error) {
      failure =
        error instanceof PacsError
          ? error
          : new PacsError('UNAUTHENTICATED', 'valid credentials are required');
    }
    await audit.record({
      type: 'auth.rejected',
      category: 'authentication',
      action: 'E',
      outcome: 'denied',
      actor: 'anonymous',
      sourceAddress: request.ip,
      protocol: 'http',
      operation: `${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
      detail: {
        reason: failure.cause instanceof CredentialRejection ? failure.cause.reason : 'no credentials',
      },
    });
    // Only presented-and-rejected credentials count, not anonymous requests.
    if (failure.cause instanceof CredentialRejection) limiter.hit(`ip:${request.ip}`);
    reply.header('WWW-Authenticate', 'Bearer realm="PacsKit", Basic realm="PacsKit", charset="UTF-8"');
    throw failure;
  };
}
