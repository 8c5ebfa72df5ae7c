/**
 * Imported first by cli.ts: ingest fsyncs staged files in parallel on libuv's thread pool, whose
 * default of 4 threads caps how many fsyncs overlap. Must run before the pool starts.
 */
process.env.UV_THREADPOOL_SIZE ??= '16';
