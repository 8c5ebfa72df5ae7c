import { PacsError } from '@pacskit/dicom';
import { describe, expect, it } from 'vitest';
import { toViewerError } from './toViewerError.js';

describe('toViewerError', () => {
  it.each([
    [{ status: 401 }, 'UNAUTHENTICATED'],
    [{ xhr: { status: 403 } }, 'FORBIDDEN'],
    [{ request: { status: 404 } }, 'NOT_FOUND'],
    [{ status: 500 }, 'HTTP_ERROR'],
    [{ status: 0 }, 'NETWORK_ERROR'],
    [new Error('no decoder'), 'CANNOT_RENDER'],
    [new DOMException('stop', 'AbortError'), 'ABORTED'],
  ])('maps %o to %s', (input, code) => {
    const error = toViewerError(input);
    expect(error).toBeInstanceOf(PacsError);
    expect(error.code).toBe(code);
  });

  it('keeps a PacsError as it is', () => {
    const original = new PacsError('FORBIDDEN');
    expect(toViewerError(original)).toBe(original);
  });

  it('keeps the HTTP status', () => {
    expect(toViewerError({ status: 503 }).code).toBe('HTTP_ERROR');
    expect(toViewerError({ status: 503 }).httpStatus).toBe(503);
    expect(toViewerError({ status: 503 }).cause).toEqual({ status: 503 });
  });
});
