import { writeSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** fsync a directory so a create/rename inside it survives a crash (POSIX). */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a stream to a new file and fsyncs it. Backpressure comes from awaiting each write, so
 * only one chunk is in memory at a time. Returns the byte count.
 */
export async function writeStreamDurably(
  path: string,
  stream: AsyncIterable<Uint8Array>,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<number> {
  const handle = await open(path, 'wx');
  let size = 0;
  try {
    for await (const chunk of stream) {
      onChunk?.(chunk);
      let written = 0;
      while (written < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
        written += bytesWritten;
      }
      size += chunk.length;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return size;
}

/** Chunks are coalesced up to this size before a write. */
const writeBufferSize = 256 * 1024;

/**
 * Writes a stream to a new file without syncing it (the caller syncs later, in a group). The
 * writes are synchronous on purpose: they only reach the page cache (well under a millisecond
 * for 256 KiB), while the thread pool is busy with other requests' fsyncs and would queue them.
 * The open is not: creating a file waits on the ext4 journal while other fsyncs run.
 */
export async function writeStream(path: string, stream: AsyncIterable<Uint8Array>): Promise<number> {
  const handle = await open(path, 'wx');
  let size = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = () => {
    const data = pending.length === 1 ? (pending[0] as Uint8Array) : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    let written = 0;
    while (written < data.length) written += writeSync(handle.fd, data, written, data.length - written);
  };
  try {
    for await (const chunk of stream) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      size += chunk.length;
      if (pendingBytes >= writeBufferSize) flush();
    }
    if (pendingBytes > 0) flush();
  } finally {
    await handle.close();
  }
  return size;
}

/** A received stream: whole in memory (it fitted), or in a staging file with its first bytes kept. */
export type Received =
  | { kind: 'memory'; bytes: Buffer }
  | { kind: 'staged'; path: string; size: number; head: Buffer };

/**
 * Reads a stream into memory while it fits in `maxInMemory` bytes; a longer one goes on into a new
 * file at `stagingPath` (not synced, see `writeStream`), keeping the bytes read so far as its head
 * so a header parse rarely reopens the file. Each chunk is copied: a producer may reuse its buffer.
 */
export async function receive(
  stream: AsyncIterable<Uint8Array>,
  options: { maxInMemory: number; stagingPath: string },
): Promise<Received> {
  const iterator = stream[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) {
      const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      return { kind: 'memory', bytes };
    }
    chunks.push(Buffer.from(value));
    size += value.length;
    if (size > options.maxInMemory) break;
  }
  const head = Buffer.concat(chunks, size);
  const rest = async function* (): AsyncGenerator<Uint8Array> {
    yield head;
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) return;
      yield value;
    }
  };
  const total = await writeStream(options.stagingPath, rest());
  return { kind: 'staged', path: options.stagingPath, size: total, head };
}

/** fsync an existing file (fsync flushes the inode's data whichever descriptor asks). */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
