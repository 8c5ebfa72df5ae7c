import type {
  ScheduledProcedureStepInput,
  ScheduledProcedureStepStatus,
} from '../worklist/ScheduledProcedureStep.js';
import type { ScheduledProcedureStep, ScheduledProcedureStepSink } from './ScheduledProcedureStepSink.js';

/** The parts of the worklist module (src/worklist) the sink needs. */
export interface WorklistTarget {
  scheduleStep(input: ScheduledProcedureStepInput): Promise<unknown>;
  updateScheduledStepStatus(
    scheduledProcedureStepID: string,
    status: ScheduledProcedureStepStatus,
  ): Promise<void>;
}

function dicomDateTime(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`,
  };
}

/**
 * Orders → the worklist module's scheduled procedure steps. The step id is the accession number,
 * so MPPS events (which name the scheduled step) find their order with `onMppsStatus({
 * accessionNumber: scheduledProcedureStepID })`. Cancelling an order discontinues the step.
 */
export function worklistSink(target: WorklistTarget): ScheduledProcedureStepSink {
  return {
    async schedule(step: ScheduledProcedureStep) {
      const at = dicomDateTime(step.scheduledStartAt);
      await target.scheduleStep({
        scheduledProcedureStepID: step.scheduledProcedureStepID,
        patientID: step.patientID,
        patientName: step.patientName,
        ...(step.patientBirthDate ? { patientBirthDate: step.patientBirthDate } : {}),
        ...(step.patientSex === 'M' || step.patientSex === 'F' || step.patientSex === 'O'
          ? { patientSex: step.patientSex }
          : {}),
        accessionNumber: step.accessionNumber,
        requestedProcedureID: step.requestedProcedureID,
        requestedProcedureDescription: step.requestedProcedureDescription,
        studyInstanceUID: step.studyInstanceUID,
        ...(step.referringPhysicianName ? { referringPhysicianName: step.referringPhysicianName } : {}),
        modality: step.modality,
        ...(step.scheduledStationAETitle ? { scheduledStationAETitle: step.scheduledStationAETitle } : {}),
        scheduledProcedureStepStartDate: at.date,
        scheduledProcedureStepStartTime: at.time,
        ...(step.performingPhysicianName
          ? { scheduledPerformingPhysicianName: step.performingPhysicianName }
          : {}),
        scheduledProcedureStepDescription: step.requestedProcedureDescription,
      });
    },
    async cancel(accessionNumber: string) {
      await target.updateScheduledStepStatus(accessionNumber, 'DISCONTINUED');
    },
  };
}
