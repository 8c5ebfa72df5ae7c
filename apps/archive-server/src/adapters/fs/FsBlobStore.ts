import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { PacsError } from '@pacskit/dicom';
import { type BlobInput, type BlobStore, newBlobKey } from '../../ports/BlobStore.js';
import { DurableFileWriter } from './DurableFileWriter.js';
import { fsyncDirectory, writeStreamDurably } from './durableFile.js';

const keyPattern = /^[0-9a-f-]{8,64}$/;

/** One set of writer threads per process, whatever the number of stores (tests open many). */
const sharedWriter = new DurableFileWriter();

/**
 * Keys whose empty files are created ahead (`preparedKey`): at most this many wait, topped up in the
 * background once fewer than half are left.
 */
const preparedFiles = 32;

/**
 * Blobs as files under `<root>/<bucket>/<key>`, the bucket being the key's first 8 characters
 * (ingest makes keys start with a time bucket, so the instances of one STOW request share a
 * directory and one directory fsync). A blob is written (or moved from staging), its file
 * fsynced, then its directory fsynced — and a new bucket's parent too — so it survives a crash
 * once `create` resolves.
 *
 * Creating a file (ext4 inode allocation) and fsyncing its directory were most of an instance's
 * acknowledgement latency, so `preparedKey` hands out keys whose empty files were created and made
 * durable ahead, a batch at a time on a writer thread: a blob then costs one write and one fsync.
 * Files left empty by a crash are unreferenced: the startup orphan cleanup removes them.
 */
export class FsBlobStore implements BlobStore {
  /** One pending directory fsync per directory: concurrent creates share it. */
  private readonly directorySyncs = new Map<string, { started: boolean; promise: Promise<void> }>();
  private readonly knownDirectories = new Set<string>();
  /** Keys whose empty files are durable, not handed out yet. */
  private readonly prepared = new Set<string>();
  /** Keys whose empty files are being created. */
  private readonly preparing = new Set<string>();
  /** Keys handed out by `preparedKey` with an empty file, not created yet. */
  private readonly handedOut = new Set<string>();

  constructor(private readonly root: string) {}

  private pathOf(key: string): { dir: string; file: string } {
    if (!keyPattern.test(key)) throw new PacsError('INTERNAL', 'invalid blob key');
    const dir = join(this.root, key.slice(0, 8));
    return { dir, file: join(dir, key) };
  }

  localPath(key: string): string {
    return this.pathOf(key).file;
  }

  preparedKey(): string {
    const key = this.prepared.values().next().value;
    if (this.prepared.size <= preparedFiles / 2) this.prepare();
    if (key === undefined) return newBlobKey();
    this.prepared.delete(key);
    this.handedOut.add(key);
    return key;
  }

  /** Creates empty files for new keys in the background; a failure (disk full) only leaves fewer. */
  private prepare(): void {
    if (this.preparing.size > 0) return;
    const keys = Array.from({ length: preparedFiles - this.prepared.size }, () => newBlobKey());
    for (const key of keys) this.preparing.add(key);
    const byDirectory = new Map<string, string[]>();
    for (const key of keys) {
      const { dir, file } = this.pathOf(key);
      byDirectory.set(dir, [...(byDirectory.get(dir) ?? []), file]);
    }
    void Promise.all(
      [...byDirectory].map(async ([dir, files]) => {
        await this.ensureDirectory(dir);
        const created = new Set(await sharedWriter.createEmpty(files, dir));
        for (const key of keys) if (created.has(this.pathOf(key).file)) this.prepared.add(key);
      }),
    )
      .catch(() => undefined)
      .finally(() => this.preparing.clear());
  }

  async create(key: string, input: BlobInput): Promise<void> {
    const { dir, file } = this.pathOf(key);
    if (this.handedOut.delete(key)) {
      // Its empty file and directory entry are durable already.
      if ('bytes' in input) return sharedWriter.fill(file, input.bytes);
      // A staged file's rename replaces the empty one; a stream is written to a new file.
      if ('stream' in input) await rm(file, { force: true });
    }
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
    this.handedOut.delete(key);
    await rm(this.pathOf(key).file, { force: true });
  }

  async *keys(): AsyncIterable<string> {
    for (const bucket of await readdir(this.root).catch(() => [] as string[])) {
      for (const name of await readdir(join(this.root, bucket)).catch(() => [] as string[])) {
        // Empty files not handed out hold no blob.
        if (keyPattern.test(name) && !this.prepared.has(name) && !this.preparing.has(name)) yield name;
      }
    }
  }
}
