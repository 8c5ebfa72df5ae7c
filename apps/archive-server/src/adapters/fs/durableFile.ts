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
