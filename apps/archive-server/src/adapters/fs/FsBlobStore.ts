import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { PacsError } from '@pacskit/dicom';
import type { BlobInput, BlobStore } from '../../ports/BlobStore.js';
import { fsyncDirectory, writeStreamDurably } from './durableFile.js';

const keyPattern = /^[0-9a-f-]{8,64}$/;

/**
 * Blobs as files under `<dataDir>/blobs/<k0k1>/<k2k3>/<key>`. A blob is written (or moved from
 * staging), its file fsynced, then its directory fsynced, so it survives a crash once `create`
 * resolves.
 */
export class FsBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): { dir: string; file: string } {
    if (!keyPattern.test(key)) throw new PacsError('INTERNAL', 'invalid blob key');
    const dir = join(this.root, key.slice(0, 2), key.slice(2, 4));
    return { dir, file: join(dir, key) };
  }

  localPath(key: string): string {
    return this.pathOf(key).file;
  }

  async create(key: string, input: BlobInput): Promise<void> {
    const { dir, file } = this.pathOf(key);
    await mkdir(dir, { recursive: true });
    if ('path' in input) {
      // Staging lives on the same file system (inside the data dir): a rename is atomic. The staged
      // file was fsynced by whoever wrote it; the rename needs both directories synced.
      await rename(input.path, file);
    } else {
      await writeStreamDurably(file, input.stream);
    }
    await fsyncDirectory(dir);
  }

  async read(key: string): Promise<Readable> {
    const { file } = this.pathOf(key);
    const handle = await open(file, 'r').catch((cause: unknown) => {
      throw new PacsError('NOT_FOUND', 'blob not found', { cause });
    });
    // The FileHandle owns the descriptor: streaming from handle.fd would let GC close it mid-read.
    return handle.createReadStream({ autoClose: true });
  }

  async readRange(key: string, start: number, length: number): Promise<Buffer> {
    const { file } = this.pathOf(key);
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.allocUnsafe(length);
      let read = 0;
      while (read < length) {
        const { bytesRead } = await handle.read(buffer, read, length - read, start + read);
        if (bytesRead === 0) throw new PacsError('INTERNAL', 'blob shorter than its index entry');
        read += bytesRead;
      }
      return buffer;
    } finally {
      await handle.close();
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key).file, { force: true });
  }

  async *keys(): AsyncIterable<string> {
    const level1 = await readdir(this.root).catch(() => [] as string[]);
    for (const a of level1) {
      const level2 = await readdir(join(this.root, a)).catch(() => [] as string[]);
      for (const b of level2) {
        for (const name of await readdir(join(this.root, a, b)).catch(() => [] as string[])) {
          if (keyPattern.test(name)) yield name;
        }
      }
    }
  }
}
