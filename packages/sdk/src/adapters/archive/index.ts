export { createArchiveAdapter } from './createArchiveAdapter.js';
export type { ArchiveAdapter, ArchiveAdapterOptions } from './createArchiveAdapter.js';
