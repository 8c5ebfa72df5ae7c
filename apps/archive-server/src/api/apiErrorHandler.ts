import { PacsError, isPacsError } from '@pacskit/dicom';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditLog } from '../audit/createAuditLog.js';
import { CredentialRejection } from '../access/createAccessControl.js';
import { auditRequest } from './auditRequest.js';

/** Fastify's own request errors, mapped once to our codes (malformed JSON, size, media type). */
function fromFastify(error: FastifyError): PacsError | undefined {
  if (typeof error.statusCode !== 'number' || error.statusCode >= 500) return undefined;
  switch (error.statusCode) {
    case 413:
      return new PacsError('PAYLOAD_TOO_LARGE', 'the request body is too large');
    case 415:
      return new PacsError('UNSUPPORTED_MEDIA_TYPE', 'send application/json');
    case 404:
      return new PacsError('NOT_FOUND');
    default:
      // Malformed JSON, empty body, prototype poisoning: say only that the body is invalid.
      return new PacsError('INVALID_ARGUMENT', 'the request body is not valid JSON');
  }
}

/**
 * The API's error answer: `{ error: { code, message, details? } }` with the status of the shared
 * table, a WWW-Authenticate challenge on 401, and an audit entry for every refused request.
 * Credential problems all read the same to the caller; the reason goes to the audit trail only.
 */
export function createApiErrorHandler(audit: AuditLog) {
  return async (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    let pacsError: PacsError;
    if (isPacsError(error)) pacsError = error;
    else {
      const mapped = fromFastify(error as FastifyError);
      if (mapped) pacsError = mapped;
      else {
        request.log.error({ err: error }, 'unexpected error');
        pacsError = new PacsError('INTERNAL', 'internal error');
      }
    }
    const status = pacsError.statusForHttp;
    const context = request.apiAudit ?? {};
    const reason = pacsError.cause instanceof CredentialRejection ? pacsError.cause.reason : undefined;
    const outcome =
      status === 401 || status === 403 || status === 429 || (status === 404 && context.hidden)
        ? 'denied'
        : 'failure';
    try {
      await auditRequest(audit, request, {
        type: request.apiRoute?.audit?.type ?? 'api.request',
        category:
          status === 401
            ? 'authentication'
            : (request.apiRoute?.audit?.category ?? (status === 403 ? 'security-alert' : 'query')),
        action: request.apiRoute?.audit?.action ?? (request.method === 'GET' ? 'R' : 'E'),
        outcome,
        extra: { status, code: pacsError.code, ...(reason ? { reason } : {}) },
      });
    } catch (auditError) {
      request.log.error({ err: auditError }, 'audit write failed');
    }
    if (status === 401)
      reply.header('WWW-Authenticate', 'Bearer realm="PacsKit", Basic realm="PacsKit", charset="UTF-8"');
    if (pacsError.code === 'RATE_LIMITED') {
      const retry = pacsError.details?.retryAfterSeconds;
      if (typeof retry === 'number') reply.header('Retry-After', String(retry));
    }
    // A hidden resource answers exactly like a missing one.
    const body = status === 404 ? new PacsError('NOT_FOUND', 'not found') : pacsError;
    reply
      .code(status)
      .type('application/json')
      .send(JSON.stringify({ error: body.toJSON() }));
  };
}
