import { Worker } from 'node:worker_threads';

/**
 * The worker's code, plain CommonJS run with `eval: true` so the same source works from dist/ and
 * from the TypeScript sources under Vitest (a worker file would need a TypeScript loader there).
 *
 * Each message is a list of files; it takes every message waiting on its port as one batch: creates and writes all the files, then
 * fsyncs each and each directory once. On ext4 the first fsync commits the journal transaction
 * that holds the others' metadata, so the rest cost little: a group commit.
 *
 * A request with `existing` writes into a file created (and its directory fsynced) earlier by a
 * request without bytes: no inode allocation and no directory fsync. fsync flushes the file's new
 * size with its data (fsync(2): "all modified in-core data … and metadata").
 */
const workerSource = `
const { closeSync, fsyncSync, openSync, writeSync } = require('node:fs');
const { parentPort, receiveMessageOnPort } = require('node:worker_threads');
const failure = (error) => ({ code: error.code, message: error.message });
parentPort.on('message', (first) => {
  const batch = [...first];
  for (let next; (next = receiveMessageOnPort(parentPort)) !== undefined; ) batch.push(...next.message);
  const results = batch.map((request) => ({ id: request.id, error: undefined, fd: undefined }));
  batch.forEach((request, i) => {
    try {
      results[i].fd = openSync(request.path, request.existing ? 'r+' : 'wx');
      const bytes = request.bytes ?? new Uint8Array(0);
      for (let written = 0; written < bytes.length; )
        written += writeSync(results[i].fd, bytes, written, bytes.length - written);
    } catch (error) {
      results[i].error = failure(error);
    }
  });
  for (const result of results) {
    if (result.fd === undefined) continue;
    try {
      if (result.error === undefined) fsyncSync(result.fd);
    } catch (error) {
      result.error = failure(error);
    }
    closeSync(result.fd);
  }
  const directories = new Map();
  batch.forEach((request, i) => {
    if (results[i].error !== undefined || request.existing) return;
    const waiting = directories.get(request.directory) ?? [];
    waiting.push(results[i]);
    directories.set(request.directory, waiting);
  });
  for (const [directory, waiting] of directories) {
    try {
      const fd = openSync(directory, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      for (const result of waiting) result.error = failure(error);
    }
  }
  parentPort.postMessage(results.map(({ id, error }) => ({ id, error })));
});
`;

interface WriteResult {
  id: number;
  error: { code: string | undefined; message: string } | undefined;
}

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

interface Queued extends Pending {
  request: WriteRequest;
}

interface WriteRequest {
  id: number;
  path: string;
  directory: string;
  /** None: an empty file is created. */
  bytes: Uint8Array | undefined;
  /** The file exists already, created empty by an earlier request. */
  existing: boolean;
}

interface WriterThread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Creates small files durably (written, fsynced, their directory fsynced) on a few worker threads.
 *
 * Why not the libuv thread pool: a file create waits on ext4 while other fsyncs run, and each of
 * open/write/fsync/close is a separate pool request; with many requests in flight the main thread
 * spent more time handing them to the pool's threads (lock contention on 2 cores) than parsing.
 * Here the files asked for in one turn of the event loop go to a thread in one message (waking a
 * thread costs more than copying a small instance), and concurrent writes share their fsyncs.
 */
export class DurableFileWriter {
  private readonly threads: WriterThread[] = [];
  private nextId = 0;
  private queued: Queued[] = [];

  /**
   * A thread blocked in fsync takes no new file, so several let the fsyncs of concurrent requests
   * overlap on the device (8 ingested ~30% more than 2 here); a thread starts only when all are busy.
   */
  constructor(private readonly threadCount = 8) {}

  /** Creates `path` (it must not exist) with `bytes`; resolves once file and directory are fsynced. */
  write(path: string, directory: string, bytes: Uint8Array): Promise<void> {
    return this.submit({ id: this.nextId++, path, directory, bytes, existing: false });
  }

  /**
   * Creates each of `paths` (in `directory`, none existing) empty, with one directory fsync; resolves
   * with the paths now durable. They go to a thread of their own at once rather than with the next
   * writes: the writes waiting for an acknowledgement must not wait for these.
   */
  async createEmpty(paths: string[], directory: string): Promise<string[]> {
    const thread = this.leastBusy();
    if (thread.pending.size === 0) thread.worker.ref();
    const requests: WriteRequest[] = paths.map((path) => ({
      id: this.nextId++,
      path,
      directory,
      bytes: undefined,
      existing: false,
    }));
    const done = requests.map(
      (request) =>
        new Promise<void>((resolve, reject) => thread.pending.set(request.id, { resolve, reject })),
    );
    thread.worker.postMessage(requests);
    const settled = await Promise.allSettled(done);
    return paths.filter((_, i) => settled[i]?.status === 'fulfilled');
  }

  /**
   * Writes `bytes` into `path`, an empty file `createEmpty` made durable; resolves once the file is
   * fsynced (its directory entry already was).
   */
  fill(path: string, bytes: Uint8Array): Promise<void> {
    return this.submit({ id: this.nextId++, path, directory: '', bytes, existing: true });
  }

  private submit(request: WriteRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ request, resolve, reject });
      if (this.queued.length === 1) setImmediate(() => this.send());
    });
  }

  private send(): void {
    const queued = this.queued;
    this.queued = [];
    const thread = this.leastBusy();
    if (thread.pending.size === 0) thread.worker.ref();
    for (const { request, resolve, reject } of queued) thread.pending.set(request.id, { resolve, reject });
    thread.worker.postMessage(queued.map(({ request }) => request));
  }

  /** Stops the threads (pending writes fail). */
  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }

  private leastBusy(): WriterThread {
    if (this.threads.length < this.threadCount) {
      const idle = this.threads.find((thread) => thread.pending.size === 0);
      return idle ?? this.start();
    }
    return this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private start(): WriterThread {
    const worker = new Worker(workerSource, { eval: true });
    const thread: WriterThread = { worker, pending: new Map() };
    worker.on('message', (results: WriteResult[]) => {
      for (const result of results) {
        const waiting = thread.pending.get(result.id);
        if (!waiting) continue;
        thread.pending.delete(result.id);
        if (result.error === undefined) waiting.resolve();
        else waiting.reject(Object.assign(new Error(result.error.message), { code: result.error.code }));
      }
      // An idle writer does not keep the process alive.
      if (thread.pending.size === 0) worker.unref();
    });
    const failAll = (error: Error) => {
      for (const waiting of thread.pending.values()) waiting.reject(error);
      thread.pending.clear();
      const at = this.threads.indexOf(thread);
      if (at >= 0) this.threads.splice(at, 1);
    };
    worker.on('error', failAll);
    worker.on('exit', () => failAll(new Error('the file writer thread stopped')));
    worker.unref();
    this.threads.push(thread);
    return thread;
  }
}
