import type {
  PerformedProcedureStep,
  ScheduledProcedureStep,
  ScheduledProcedureStepStatus,
} from './ScheduledProcedureStep.js';

/** Where scheduled and performed procedure steps are kept (the archive's database). */
export interface WorklistStore {
  insertScheduledStep(step: ScheduledProcedureStep): Promise<void>;
  getScheduledStep(scheduledProcedureStepID: string): Promise<ScheduledProcedureStep | undefined>;
  /** Steps in creation order, optionally only those with one of these statuses. */
  listScheduledSteps(options?: {
    statuses?: readonly ScheduledProcedureStepStatus[];
  }): Promise<ScheduledProcedureStep[]>;
  updateScheduledStepStatus(
    scheduledProcedureStepID: string,
    status: ScheduledProcedureStepStatus,
  ): Promise<void>;
  /** Rejects with PacsError CONFLICT when the SOP Instance UID exists. */
  insertPerformedStep(step: PerformedProcedureStep): Promise<void>;
  getPerformedStep(sopInstanceUID: string): Promise<PerformedProcedureStep | undefined>;
  updatePerformedStep(step: PerformedProcedureStep): Promise<void>;
  listPerformedSteps(): Promise<PerformedProcedureStep[]>;
  close(): Promise<void>;
}
