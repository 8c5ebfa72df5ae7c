import { PacsError, isPacsError } from '@pacskit/dicom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContentType, parseMultipartRelated } from './multipartRelated.js';

async function* chunked(bytes: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let offset = 0;
  let i = 0;
  while (offset < bytes.length) {
    const size = Math.max(1, sizes.length > 0 ? (sizes[i++ % sizes.length] as number) : bytes.length);
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

function encode(parts: Buffer[], boundary: string, preamble = ''): Buffer {
  const chunks: Buffer[] = [Buffer.from(preamble)];
  for (const part of parts) {
    chunks.push(
      Buffer.from(
        `${preamble || chunks.length > 1 ? '\r\n' : ''}--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`,
      ),
    );
    chunks.push(part);
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

async function collect(source: AsyncIterable<Buffer>, boundary: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const part of parseMultipartRelated(source, boundary)) {
    const chunks: Buffer[] = [];
    for await (const chunk of part.body) chunks.push(chunk);
    out.push(Buffer.concat(chunks));
  }
  return out;
}

describe('parseMultipartRelated', () => {
  it('returns every part byte-for-byte, whatever the chunking and the bytes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 5 }),
        fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,70}$/),
        fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 8 }),
        async (parts, boundary, sizes) => {
          const buffers = parts.map((p) => Buffer.from(p));
          // A part may not contain the delimiter (RFC 2046 5.1.1); the sender picks a boundary that way.
          fc.pre(buffers.every((b) => !b.includes(`\r\n--${boundary}`)));
          const body = encode(buffers, boundary);
          const result = await collect(chunked(body, sizes), boundary);
          expect(result).toEqual(buffers);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('skips a preamble and reads part headers', async () => {
    const body = Buffer.from(
      'preamble\r\n--b1\r\nContent-Type: application/dicom\r\nContent-Location: x\r\n\r\nABC\r\n--b1--',
    );
    const parts: Array<Record<string, string>> = [];
    for await (const part of parseMultipartRelated(chunked(body, [3]), 'b1')) {
      parts.push(part.headers);
      for await (const _ of part.body) {
        // drain
      }
    }
    expect(parts).toEqual([{ 'content-type': 'application/dicom', 'content-location': 'x' }]);
  });

  it('fails with a PacsError when the closing boundary is missing (truncated body)', async () => {
    const body = Buffer.from('--b1\r\nContent-Type: application/dicom\r\n\r\nABCDEF');
    await expect(collect(chunked(body, [2]), 'b1')).rejects.toSatisfy((e) =>
      isPacsError(e, 'UNSUPPORTED_MEDIA_TYPE'),
    );
  });

  it('fails when the boundary never appears (wrong boundary)', async () => {
    const body = Buffer.from('--other\r\n\r\nABC\r\n--other--');
    await expect(collect(chunked(body, []), 'b1')).rejects.toBeInstanceOf(PacsError);
  });

  it('parses Content-Type parameters, quoted or not', () => {
    expect(parseContentType('multipart/related; type="application/dicom"; boundary=abc')).toEqual({
      mediaType: 'multipart/related',
      parameters: { type: 'application/dicom', boundary: 'abc' },
    });
  });
});
