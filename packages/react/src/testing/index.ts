export { createFixtureAdapter } from './createFixtureAdapter.js';
export type { FixtureAdapter, FixtureAdapterOptions } from './createFixtureAdapter.js';
export { recordedInstances } from './fixtures/recordedInstances.gen.js';
export type { RecordedInstance } from './fixtures/recordedInstances.gen.js';
export { createFixtureWorkflow } from './createFixtureWorkflow.js';
export type { FixtureWorkflow, FixtureWorkflowOptions } from './createFixtureWorkflow.js';
