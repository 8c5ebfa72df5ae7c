export { describeAdapterConformance } from './describeAdapterConformance.js';
export type { ConformanceContext, ConformanceSeed } from './describeAdapterConformance.js';
