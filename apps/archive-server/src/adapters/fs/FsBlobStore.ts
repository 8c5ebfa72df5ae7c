import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { PacsError } from '@pacskit/dicom';
import type { BlobInput, BlobStore } from '../../ports/BlobStore.js';
import { DurableFileWriter } from './DurableFileWriter.js';
import { fsyncDirectory, writeStreamDurably } from './durableFile.js';

const keyPattern = /^[0-9a-f-]{8,64}$/;

/** One set of writer threads per process, whatever the number of stores (tests open many). */
const sharedWriter = new DurableFileWriter();

/**
 * Blobs as files under `<root>/<bucket>/<key>`, the bucket being the key's first 8 characters
 * (ingest makes keys start with a time bucket, so the instances of one STOW request share a
 * directory and one directory fsync). A blob is written (or moved from staging), its file
 * fsynced, then its directory fsynced — and a new bucket's parent too — so it survives a crash
 * once `create` resolves.
 */
export class FsBlobStore implements BlobStore {
  /** One pending directory fsync per directory: concurrent creates share it. */
  private readonly directorySyncs = new Map<string, { started: boolean; promise: Promise<void> }>();
  private readonly knownDirectories = new Set<string>();

  constructor(private readonly root: string) {}

  private pathOf(key: string): { dir: string; file: string } {
    if (!keyPattern.test(key)) throw new PacsError('INTERNAL', 'invalid blob key');
    const dir = join(this.root, key.slice(0, 8));
    return { dir, file: join(dir, key) };
  }

  localPath(key: string): string {
    return this.pathOf(key).file;
  }

  async create(key: string, input: BlobInput): Promise<void> {
    const { dir, file } = this.pathOf(key);
    await this.ensureDirectory(dir);
    if ('path' in input) {
      // Staging lives on the same file system (inside the data dir): a rename is atomic. The staged
      // file was fsynced by whoever wrote it; the rename needs its directory synced.
      await rename(input.path, file);
    } else if ('bytes' in input) {
      // The writer thread fsyncs the file and its directory.
      await sharedWriter.write(file, dir, input.bytes);
      return;
    } else {
      await writeStreamDurably(file, input.stream);
    }
    await this.syncDirectory(dir);
  }

  /** Creates the bucket directory durably (its entry in the root fsynced) the first time. */
  private async ensureDirectory(dir: string): Promise<void> {
    if (this.knownDirectories.has(dir)) return;
    const created = await mkdir(dir, { recursive: true });
    if (created !== undefined) {
      await this.syncDirectory(this.root);
      await this.syncDirectory(dirname(this.root));
    }
    this.knownDirectories.add(dir);
  }

  /**
   * fsync a directory, joining a sync that is scheduled but not started yet: it will cover this
   * caller's rename too. A sync already running may predate the rename, so a new one follows it.
   */
  private syncDirectory(dir: string): Promise<void> {
    const pending = this.directorySyncs.get(dir);
    if (pending && !pending.started) return pending.promise;
    const entry: { started: boolean; promise: Promise<void> } = {
      started: false,
      promise: Promise.resolve(),
    };
    entry.promise = (pending?.promise ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        entry.started = true;
        await fsyncDirectory(dir);
      })
      .finally(() => {
        if (this.directorySyncs.get(dir) === entry) this.directorySyncs.delete(dir);
      });
    this.directorySyncs.set(dir, entry);
    return entry.promise;
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
    for (const bucket of await readdir(this.root).catch(() => [] as string[])) {
      for (const name of await readdir(join(this.root, bucket)).catch(() => [] as string[])) {
        if (keyPattern.test(name)) yield name;
      }
    }
  }
}
