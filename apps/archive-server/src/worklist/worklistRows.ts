import { PacsError } from '@pacskit/dicom';
import type {
  PerformedProcedureStep,
  ScheduledProcedureStep,
  ScheduledProcedureStepStatus,
} from './ScheduledProcedureStep.js';

/**
 * The `worklist_*` rows as both adapters read them, the parameters both bind (in the column
 * order of their INSERT and UPDATE statements) and the errors both raise: only the SQL differs
 * between SQLite and PostgreSQL.
 */
export interface ScheduledRow {
  step: string;
  status: ScheduledProcedureStepStatus;
}

export interface PerformedRow {
  sop_instance_uid: string;
  status: PerformedProcedureStep['status'];
  scheduled_procedure_step_id: string | null;
  study_instance_uid: string | null;
  performed_station_ae_title: string | null;
  dataset: string;
  created_at: string;
  updated_at: string;
}

/** The step as stored, with the status column (which changes without rewriting the JSON) on top. */
export const scheduledFromRow = (row: ScheduledRow): ScheduledProcedureStep => ({
  ...(JSON.parse(row.step) as ScheduledProcedureStep),
  status: row.status,
});

export function performedFromRow(row: PerformedRow): PerformedProcedureStep {
  return {
    sopInstanceUID: row.sop_instance_uid,
    status: row.status,
    scheduledProcedureStepID: row.scheduled_procedure_step_id ?? undefined,
    studyInstanceUID: row.study_instance_uid ?? undefined,
    performedStationAETitle: row.performed_station_ae_title ?? undefined,
    dataset: row.dataset,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** (scheduled_procedure_step_id, status, scheduled_date, modality, station_ae_title, step, created_at) */
export function scheduledStepValues(step: ScheduledProcedureStep): unknown[] {
  return [
    step.scheduledProcedureStepID,
    step.status,
    step.scheduledProcedureStepStartDate,
    step.modality,
    step.scheduledStationAETitle ?? null,
    JSON.stringify(step),
    step.createdAt,
  ];
}

/**
 * (sop_instance_uid, status, scheduled_procedure_step_id, study_instance_uid,
 * performed_station_ae_title, dataset, created_at, updated_at)
 */
export function performedStepValues(step: PerformedProcedureStep): unknown[] {
  return [
    step.sopInstanceUID,
    step.status,
    step.scheduledProcedureStepID ?? null,
    step.studyInstanceUID ?? null,
    step.performedStationAETitle ?? null,
    step.dataset,
    step.createdAt,
    step.updatedAt,
  ];
}

/** SET status, scheduled_procedure_step_id, study_instance_uid, dataset, updated_at WHERE sop_instance_uid */
export function performedStepUpdateValues(step: PerformedProcedureStep): unknown[] {
  return [
    step.status,
    step.scheduledProcedureStepID ?? null,
    step.studyInstanceUID ?? null,
    step.dataset,
    step.updatedAt,
    step.sopInstanceUID,
  ];
}

/** What both adapters throw when the primary key refuses a second step with one ID. */
export const duplicateScheduledStep = (cause: unknown): PacsError =>
  new PacsError('CONFLICT', 'a scheduled procedure step with this ID exists', { cause });

export const duplicatePerformedStep = (cause: unknown): PacsError =>
  new PacsError('CONFLICT', 'a performed procedure step with this SOP Instance UID exists', { cause });
