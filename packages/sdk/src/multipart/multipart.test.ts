import { isPacsError } from '@pacskit/dicom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMultipartRelated } from './encodeMultipartRelated.js';
import { parseMediaType, transferSyntaxOf } from './parseMediaType.js';
import { parseMultipartRelated } from './parseMultipartRelated.js';

const text = (value: string) => new TextEncoder().encode(value);

describe('parseMediaType', () => {
  it('keeps a quoted type parameter containing ";" whole (Orthanc frames)', () => {
    const mediaType = parseMediaType(
      'multipart/related; type="application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1"; boundary=abc',
    );
    expect(mediaType.type).toBe('multipart/related');
    expect(mediaType.parameters.boundary).toBe('abc');
    expect(transferSyntaxOf(mediaType)).toBe('1.2.840.10008.1.2.1');
  });

  it('unquotes the boundary', () => {
    expect(parseMediaType('Multipart/Related; Boundary="a b;c"').parameters.boundary).toBe('a b;c');
  });
});

describe('parseMultipartRelated', () => {
  it('round-trips any parts through encodeMultipartRelated', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 5 }), (parts) => {
        const encoded = encodeMultipartRelated(parts, 'application/dicom', 'b0undary-x');
        const decoded = parseMultipartRelated(encoded.body, encoded.contentType);
        expect(decoded.map((part) => [...part.data])).toEqual(parts.map((part) => [...part]));
        expect(decoded.every((part) => part.contentType === 'application/dicom')).toBe(true);
      }),
    );
  });

  it('cuts the headers of every part, not only the first (dicomweb-client#17)', () => {
    const body = text(
      'preamble\r\n--X\r\nContent-Type: application/dicom\r\nContent-Length: 3\r\nMIME-Version: 1.0\r\n\r\nabc\r\n' +
        '--X\r\nContent-Type: application/dicom\r\nMIME-Version: 1.0\r\n\r\ndef\r\n--X--\r\n',
    );
    const parts = parseMultipartRelated(body, 'multipart/related; type="application/dicom"; boundary=X');
    expect(parts.map((part) => new TextDecoder().decode(part.data))).toEqual(['abc', 'def']);
  });

  it('reports a body without its closing boundary as BAD_RESPONSE, not as fewer parts', () => {
    const body = text(
      '--X\r\nContent-Type: application/dicom\r\n\r\nabc\r\n--X\r\nContent-Type: a/b\r\n\r\nde',
    );
    expect(() => parseMultipartRelated(body, 'multipart/related; boundary=X', { source: 's' })).toThrow(
      expect.objectContaining({ code: 'BAD_RESPONSE', source: 's' }),
    );
  });

  it('rejects a missing boundary parameter, a missing boundary and a part shorter than its Content-Length', () => {
    for (const [body, type] of [
      ['--X\r\n\r\nabc\r\n--X--', 'multipart/related'],
      ['<html>oops</html>', 'multipart/related; boundary=X'],
      ['--X\r\nContent-Length: 10\r\n\r\nabc\r\n--X--', 'multipart/related; boundary=X'],
      ['--X--', 'multipart/related; boundary=X'],
    ] as const) {
      let caught: unknown;
      try {
        parseMultipartRelated(text(body), type);
      } catch (error) {
        caught = error;
      }
      expect(isPacsError(caught, 'BAD_RESPONSE')).toBe(true);
    }
  });

  it('never throws anything but a PacsError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          parseMultipartRelated(bytes, 'multipart/related; boundary=X');
        } catch (error) {
          expect(isPacsError(error, 'BAD_RESPONSE')).toBe(true);
        }
      }),
    );
  });
});
