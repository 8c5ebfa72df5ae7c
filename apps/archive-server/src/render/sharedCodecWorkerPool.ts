import { CodecWorkerPool } from './CodecWorkerPool.js';

let shared: CodecWorkerPool | undefined;

/**
 * The decoder threads that retrieval transcoding uses (WADO-RS in an uncompressed syntax, C-GET and
 * C-MOVE to a peer that accepts no compressed one). One per process, created on first use; its
 * workers are unref'd when idle, so it never keeps a process or a test alive.
 */
export function sharedCodecWorkerPool(): CodecWorkerPool {
  shared ??= new CodecWorkerPool();
  return shared;
}
