export { createDicoogleAdapter, dicoogleCapabilities } from './createDicoogleAdapter.js';
export type { DicoogleAdapterOptions } from './createDicoogleAdapter.js';
export { toLuceneQuery } from './toLuceneQuery.js';
