import { closeSync, openSync, writeSync } from 'node:fs';
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
 */
export async function writeStream(
  path: string,
  stream: AsyncIterable<Uint8Array>,
  options: { keepHead?: number } = {},
): Promise<{ size: number; head: Buffer }> {
  const keepHead = options.keepHead ?? 0;
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  const fd = openSync(path, 'wx');
  let size = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = () => {
    const data = pending.length === 1 ? (pending[0] as Uint8Array) : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
  };
  try {
    for await (const chunk of stream) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      size += chunk.length;
      if (headBytes < keepHead) {
        const part = Buffer.from(
          chunk.buffer,
          chunk.byteOffset,
          Math.min(chunk.length, keepHead - headBytes),
        );
        headChunks.push(Buffer.from(part)); // a copy: the parser's buffer is reused
        headBytes += part.length;
      }
      if (pendingBytes >= writeBufferSize) flush();
    }
    if (pendingBytes > 0) flush();
  } finally {
    closeSync(fd);
  }
  return {
    size,
    head: headChunks.length === 1 ? (headChunks[0] as Buffer) : Buffer.concat(headChunks, headBytes),
  };
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
