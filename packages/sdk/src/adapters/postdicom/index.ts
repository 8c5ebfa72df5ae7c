export { createPostDicomAdapter } from './createPostDicomAdapter.js';
export type {
  CreateShareLinkOptions,
  PostDicomAdapter,
  PostDicomAdapterOptions,
  ShareLink,
} from './createPostDicomAdapter.js';
