export { SqliteWorklistStore } from './sqlite/SqliteWorklistStore.js';
export { WorklistService, scheduledStepToDicomJson } from './WorklistService.js';
export { worklistRoutes } from './worklistRoutes.js';
export { scheduledProcedureStepInputSchema } from './ScheduledProcedureStep.js';
export type {
  PerformedProcedureStep,
  PerformedProcedureStepStatus,
  ScheduledProcedureStep,
  ScheduledProcedureStepInput,
  ScheduledProcedureStepStatus,
} from './ScheduledProcedureStep.js';
export type { WorklistStore } from './WorklistStore.js';
export type { WorklistRoutesOptions } from './worklistRoutes.js';
