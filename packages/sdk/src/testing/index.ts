export { createReplayFetch } from './createReplayFetch.js';
export { describeAdapterConformance } from './describeAdapterConformance.js';
export type { Replay, ReplayFetch, ReplayFetchOptions, ReplayFile } from './createReplayFetch.js';
export type { ConformanceContext, ConformanceSeed } from './describeAdapterConformance.js';
