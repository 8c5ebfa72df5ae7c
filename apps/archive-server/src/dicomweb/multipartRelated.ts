import { PacsError } from '@pacskit/dicom';

/**
 * A streaming multipart/related parser (RFC 2387 over RFC 2046 5.1) for STOW-RS bodies.
 *
 * Why our own: @fastify/multipart (busboy) only parses multipart/form-data, and STOW-RS uses
 * multipart/related (PS3.18 8.6.1.2). Each part's body is streamed: at most one input chunk plus
 * a delimiter's length is held, so a 200 MB instance never sits in memory.
 */
export interface MultipartPart {
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The part's bytes; must be consumed (or abandoned) before the next part is read. */
  body: AsyncIterable<Buffer>;
}

const maxHeaderBytes = 16 * 1024;
const crlf = Buffer.from('\r\n');

function malformed(reason: string): PacsError {
  return new PacsError('UNSUPPORTED_MEDIA_TYPE', `malformed multipart/related body: ${reason}`);
}

class ChunkReader {
  buffer: Buffer = Buffer.alloc(0);
  done = false;
  private readonly iterator: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Reads one more chunk into the buffer; false at end of input. */
  async fill(): Promise<boolean> {
    if (this.done) return false;
    const { value, done } = await this.iterator.next();
    if (done) {
      this.done = true;
      return false;
    }
    const chunk = Buffer.isBuffer(value)
      ? value
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    return true;
  }

  consume(n: number): void {
    this.buffer = this.buffer.subarray(n);
  }
}

/** Parses `boundary` from a Content-Type such as `multipart/related; type="application/dicom"; boundary=abc`. */
export function parseContentType(contentType: string | undefined): {
  mediaType: string;
  parameters: Record<string, string>;
} {
  if (!contentType) return { mediaType: '', parameters: {} };
  const [mediaType = '', ...rest] = contentType.split(';');
  const parameters: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    parameters[name] = value;
  }
  return { mediaType: mediaType.trim().toLowerCase(), parameters };
}

export async function* parseMultipartRelated(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
): AsyncGenerator<MultipartPart> {
  if (boundary.length === 0 || boundary.length > 70)
    throw malformed('the boundary must have 1 to 70 characters');
  const reader = new ChunkReader(source);
  // Treat the body as if it began with CRLF so the first delimiter looks like every other one.
  reader.buffer = Buffer.from(crlf);
  const delimiter = Buffer.from(`\r\n--${boundary}`);

  // Preamble: skip to the first delimiter.
  for (;;) {
    const at = reader.buffer.indexOf(delimiter);
    if (at >= 0) {
      reader.consume(at + delimiter.length);
      break;
    }
    // Keep a tail that may hold the start of the delimiter.
    reader.consume(Math.max(0, reader.buffer.length - delimiter.length + 1));
    if (!(await reader.fill())) throw malformed('no boundary delimiter found');
  }

  for (;;) {
    // After a delimiter: "--" closes the body; otherwise transport padding then CRLF.
    while (reader.buffer.length < 2)
      if (!(await reader.fill())) throw malformed('truncated after a boundary');
    if (reader.buffer[0] === 0x2d && reader.buffer[1] === 0x2d) return;
    let lineEnd = reader.buffer.indexOf(crlf);
    while (lineEnd < 0) {
      if (reader.buffer.length > maxHeaderBytes || !(await reader.fill()))
        throw malformed('truncated after a boundary');
      lineEnd = reader.buffer.indexOf(crlf);
    }
    if (reader.buffer.subarray(0, lineEnd).toString('latin1').trim() !== '') {
      throw malformed('unexpected characters after a boundary');
    }
    reader.consume(lineEnd + 2);

    // Part headers, up to an empty line.
    const headers: Record<string, string> = {};
    for (;;) {
      let end = reader.buffer.indexOf(crlf);
      while (end < 0) {
        if (reader.buffer.length > maxHeaderBytes) throw malformed('part headers too long');
        if (!(await reader.fill())) throw malformed('truncated part headers');
        end = reader.buffer.indexOf(crlf);
      }
      const line = reader.buffer.subarray(0, end).toString('latin1');
      reader.consume(end + 2);
      if (line === '') break;
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformed('a part header without a colon');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      if (Object.keys(headers).length > 64) throw malformed('too many part headers');
    }

    let finished = false;
    const body = async function* (): AsyncGenerator<Buffer> {
      for (;;) {
        const at = reader.buffer.indexOf(delimiter);
        if (at >= 0) {
          if (at > 0) yield reader.buffer.subarray(0, at);
          reader.consume(at + delimiter.length);
          finished = true;
          return;
        }
        const safe = reader.buffer.length - delimiter.length + 1;
        if (safe > 0) {
          const chunk = reader.buffer.subarray(0, safe);
          reader.consume(safe);
          yield chunk;
        }
        if (!(await reader.fill())) throw malformed('the body ends inside a part (no closing boundary)');
      }
    };
    const iterable = body();
    yield { headers, body: iterable };
    if (!finished) {
      // The consumer stopped early: drain the rest of this part.
      for await (const _ of iterable) {
        // discard
      }
      if (!finished) throw malformed('the body ends inside a part (no closing boundary)');
    }
  }
}
