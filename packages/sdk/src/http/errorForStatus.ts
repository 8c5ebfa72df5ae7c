import { PacsError } from '@pacskit/dicom';
import type { PacsErrorCode } from '@pacskit/dicom';

/** The PacsError code for a remote HTTP status (the SDK side of the one error table). */
export function codeForHttpStatus(status: number): PacsErrorCode {
  switch (status) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
    case 410:
      return 'NOT_FOUND';
    case 406:
      return 'NOT_ACCEPTABLE';
    case 408:
    case 504:
      return 'TIMEOUT';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 501:
      return 'NOT_SUPPORTED';
    case 502:
    case 503:
      return 'UNAVAILABLE';
    case 507:
      return 'OUT_OF_RESOURCES';
    default:
      return 'HTTP_ERROR';
  }
}

/**
 * The error for a non-2xx answer. The message names the method, path and status only: query
 * strings and bodies may carry patient data and are never copied into errors.
 */
export function errorForStatus(
  status: number,
  method: string,
  path: string,
  source: string,
  details?: Record<string, unknown>,
  remoteCode?: PacsErrorCode,
): PacsError {
  return new PacsError(remoteCode ?? codeForHttpStatus(status), `${method} ${path} answered HTTP ${status}`, {
    source,
    httpStatus: status,
    ...(details === undefined ? {} : { details }),
  });
}
