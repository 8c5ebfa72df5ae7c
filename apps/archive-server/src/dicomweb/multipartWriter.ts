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

/** How many parts are opened ahead of the one being sent (overlaps file reads with sending). */
const readAhead = 8;

/**
 * Streams a multipart/related body (RFC 2387). Lazy bodies are opened a few parts ahead, in
 * order, so reads overlap with sending while only a bounded number are open at once.
 */
export function multipartStream(parts: Iterable<OutgoingPart>, boundary: string): Readable {
  async function* generate(): AsyncGenerator<Buffer> {
    const list = [...parts];
    const opened: Array<Promise<Buffer | AsyncIterable<Uint8Array>> | undefined> = [];
    const open = (i: number) => {
      const part = list[i];
      if (part === undefined || opened[i] !== undefined) return;
      const promise = typeof part.body === 'function' ? part.body() : Promise.resolve(part.body);
      promise.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
      opened[i] = promise;
    };
    for (let i = 0; i < list.length; i++) {
      for (let ahead = i; ahead < Math.min(list.length, i + readAhead); ahead++) open(ahead);
      const part = list[i] as OutgoingPart;
      let head = `--${boundary}\r\nContent-Type: ${part.contentType}\r\n`;
      if (part.contentLocation) head += `Content-Location: ${part.contentLocation}\r\n`;
      yield Buffer.from(`${head}\r\n`);
      const body = await (opened[i] as Promise<Buffer | AsyncIterable<Uint8Array>>);
      opened[i] = undefined;
      if (Buffer.isBuffer(body)) yield body;
      else for await (const chunk of body) yield Buffer.from(chunk);
      yield Buffer.from('\r\n');
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return Readable.from(generate(), { objectMode: false });
}
