export { PgBossJobQueue } from './postgres/PgBossJobQueue.js';
export { SqliteJobQueue } from './sqlite/SqliteJobQueue.js';
export { defaultEnqueueOptions, jobKindPattern } from './JobQueue.js';
export type {
  EnqueueOptions,
  JobContext,
  JobError,
  JobHandler,
  JobListFilter,
  JobQueue,
  JobRecord,
  JobState,
  WorkOptions,
} from './JobQueue.js';
export type { PgBossJobQueueOptions } from './postgres/PgBossJobQueue.js';
export type { SqliteJobQueueOptions } from './sqlite/SqliteJobQueue.js';
