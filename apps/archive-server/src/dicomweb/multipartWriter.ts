import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export interface OutgoingPart {
  contentType: string;
  contentLocation?: string;
  body: Buffer | AsyncIterable<Uint8Array> | (() => Promise<Buffer | AsyncIterable<Uint8Array>>);
}

export function newBoundary(): string {
  return `pacskit-${randomBytes(12).toString('hex')}`;
}

/** Streams a multipart/related body (RFC 2387); lazily opens each part so only one is open at a time. */
export function multipartStream(
  parts: Iterable<OutgoingPart> | AsyncIterable<OutgoingPart>,
  boundary: string,
): Readable {
  async function* generate(): AsyncGenerator<Buffer> {
    for await (const part of parts) {
      let head = `--${boundary}\r\nContent-Type: ${part.contentType}\r\n`;
      if (part.contentLocation) head += `Content-Location: ${part.contentLocation}\r\n`;
      yield Buffer.from(`${head}\r\n`);
      const body = typeof part.body === 'function' ? await part.body() : part.body;
      if (Buffer.isBuffer(body)) yield body;
      else for await (const chunk of body) yield Buffer.from(chunk);
      yield Buffer.from('\r\n');
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return Readable.from(generate(), { objectMode: false });
}
