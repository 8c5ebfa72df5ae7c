import { describe, expect, it } from 'vitest';
import { PacsError, isPacsError, isPacsErrorCode, pacsErrorTable } from './pacsError.js';

describe('PacsError', () => {
  it('maps each code once to an HTTP status and a DIMSE status', () => {
    const error = new PacsError('DUPLICATE_INSTANCE', 'SOP instance already stored');
    expect(error.statusForHttp).toBe(409);
    expect(error.statusForDimse).toBe(0x0111);
    expect(error.message).toBe('SOP instance already stored');
  });

  it('defaults the message to the summary of its code', () => {
    expect(new PacsError('NOT_FOUND').message).toBe('not found');
  });

  it('serialises code, source and remote status without the stack', () => {
    const error = new PacsError('HTTP_ERROR', 'server said 500', { source: 'orthanc', httpStatus: 500 });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'HTTP_ERROR',
      message: 'server said 500',
      source: 'orthanc',
      httpStatus: 500,
    });
  });

  it('is recognised by code and rejects unknown codes', () => {
    const error = new PacsError('TIMEOUT');
    expect(isPacsError(error)).toBe(true);
    expect(isPacsError(error, 'TIMEOUT')).toBe(true);
    expect(isPacsError(error, 'NOT_FOUND')).toBe(false);
    expect(isPacsError(new Error('x'))).toBe(false);
    expect(isPacsErrorCode('TIMEOUT')).toBe(true);
    expect(isPacsErrorCode('toString')).toBe(false);
  });

  it('uses only 4xx/5xx HTTP statuses and 16-bit DIMSE statuses', () => {
    for (const [code, entry] of Object.entries(pacsErrorTable)) {
      expect(entry.httpStatus, code).toBeGreaterThanOrEqual(400);
      expect(entry.httpStatus, code).toBeLessThan(600);
      expect(entry.dimseStatus, code).toBeGreaterThan(0);
      expect(entry.dimseStatus, code).toBeLessThanOrEqual(0xffff);
    }
  });
});
