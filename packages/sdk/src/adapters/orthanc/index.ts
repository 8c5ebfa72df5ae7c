export { createOrthancAdapter } from './createOrthancAdapter.js';
export type {
  OrthancAdapter,
  OrthancAdapterOptions,
  OrthancQueryLevel,
  QueryModalityOptions,
  RetrieveFromModalityOptions,
} from './createOrthancAdapter.js';
