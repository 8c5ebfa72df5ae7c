import { isPacsError, PacsError } from '@pacskit/dicom';

/**
 * Turns whatever Cornerstone or the loader threw into a `PacsError`. The loader rejects with the
 * XMLHttpRequest (or an object carrying one) when the server answered with an error status.
 */
export function toViewerError(error: unknown): PacsError {
  if (isPacsError(error)) return error;
  if (typeof DOMException !== 'undefined' && error instanceof DOMException && error.name === 'AbortError') {
    return new PacsError('ABORTED', undefined, { cause: error });
  }
  const status = httpStatusOf(error);
  if (status !== undefined && status !== 0) {
    const code =
      status === 401
        ? 'UNAUTHENTICATED'
        : status === 403
          ? 'FORBIDDEN'
          : status === 404
            ? 'NOT_FOUND'
            : 'HTTP_ERROR';
    return new PacsError(code, `image request failed with HTTP ${status}`, {
      httpStatus: status,
      cause: error,
    });
  }
  if (status === 0) return new PacsError('NETWORK_ERROR', 'image request failed', { cause: error });
  return new PacsError('CANNOT_RENDER', error instanceof Error ? error.message : undefined, { cause: error });
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as { status?: unknown; xhr?: { status?: unknown }; request?: { status?: unknown } };
  for (const candidate of [record.status, record.xhr?.status, record.request?.status]) {
    if (typeof candidate === 'number') return candidate;
  }
  return undefined;
}
