import { PacsError, isPacsError } from '@pacskit/dicom';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The one place an error becomes an HTTP answer: a PacsError's code maps to its status through
 * the shared table; Fastify's own 4xx errors keep their status; anything else is a 500 INTERNAL.
 * The log line carries the code and route, never patient data (no query string, no body).
 */
export function errorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  let pacsError: PacsError;
  if (isPacsError(error)) pacsError = error;
  else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
    const code =
      error.statusCode === 415
        ? 'UNSUPPORTED_MEDIA_TYPE'
        : error.statusCode === 413
          ? 'PAYLOAD_TOO_LARGE'
          : error.statusCode === 404
            ? 'NOT_FOUND'
            : 'INVALID_ARGUMENT';
    pacsError = new PacsError(code, error.message);
  } else {
    request.log.error({ err: error }, 'unexpected error');
    pacsError = new PacsError('INTERNAL', 'internal error');
  }
  const status = pacsError.statusForHttp;
  if (status < 500) {
    request.log.warn({ code: pacsError.code, status, route: request.routeOptions.url }, pacsError.message);
  }
  if (reply.sent || reply.raw.headersSent) {
    reply.raw.destroy();
    return;
  }
  reply
    .code(status)
    .type('application/json')
    .send(JSON.stringify({ error: pacsError.toJSON() }));
}
