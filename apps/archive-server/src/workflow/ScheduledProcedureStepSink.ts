import type { DicomJsonDataset } from '@pacskit/dicom';
import type { OrderRecord } from './WorkflowRecords.js';

/** What an order asks the modality worklist to serve (PS3.4 K.6.1, Scheduled Procedure Step). */
export interface ScheduledProcedureStep {
  accessionNumber: string;
  studyInstanceUID: string;
  requestedProcedureID: string;
  scheduledProcedureStepID: string;
  patientID: string;
  patientName: string;
  patientBirthDate: string | undefined;
  patientSex: string | undefined;
  modality: string;
  scheduledStationAETitle: string | undefined;
  /** ISO 8601 instant. */
  scheduledStartAt: string;
  requestedProcedureDescription: string;
  referringPhysicianName: string | undefined;
  performingPhysicianName: string | undefined;
  bodyPartExamined: string | undefined;
  urgency: OrderRecord['urgency'];
}

/**
 * Implemented by the worklist's store (src/worklist): orders push their scheduled procedure steps
 * into it; the DIMSE MWL SCP serves them to modalities.
 */
export interface ScheduledProcedureStepSink {
  schedule(step: ScheduledProcedureStep): Promise<void>;
  /** The order was cancelled: the step must no longer be served. */
  cancel(accessionNumber: string): Promise<void>;
}

const pn = (value: string | undefined) => (value ? [{ Alphabetic: value }] : undefined);
const attr = (vr: string, value: unknown[] | undefined) =>
  value === undefined ? { vr } : ({ vr, Value: value } as DicomJsonDataset[string]);

function dicomDateTime(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    date: `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`,
  };
}

/**
 * The step as a Modality Worklist item (PS3.4 K.6.1.2.2, DICOM JSON), ready for C-FIND matching.
 * Requested Procedure Priority (0040,1003) uses STAT/HIGH/ROUTINE.
 */
export function toWorklistDataset(step: ScheduledProcedureStep): DicomJsonDataset {
  const at = dicomDateTime(step.scheduledStartAt);
  return {
    '00080050': attr('SH', [step.accessionNumber]),
    '00080090': attr('PN', pn(step.referringPhysicianName)),
    '00100010': attr('PN', pn(step.patientName)),
    '00100020': attr('LO', [step.patientID]),
    '00100030': attr('DA', step.patientBirthDate ? [step.patientBirthDate] : undefined),
    '00100040': attr('CS', step.patientSex ? [step.patientSex] : undefined),
    '0020000D': attr('UI', [step.studyInstanceUID]),
    '00321060': attr('LO', [step.requestedProcedureDescription]),
    '00401001': attr('SH', [step.requestedProcedureID]),
    '00401003': attr('SH', [
      step.urgency === 'stat' ? 'STAT' : step.urgency === 'urgent' ? 'HIGH' : 'ROUTINE',
    ]),
    '00400100': {
      vr: 'SQ',
      Value: [
        {
          '00080060': attr('CS', [step.modality]),
          '00400001': attr('AE', step.scheduledStationAETitle ? [step.scheduledStationAETitle] : undefined),
          '00400002': attr('DA', [at.date]),
          '00400003': attr('TM', [at.time]),
          '00400006': attr('PN', pn(step.performingPhysicianName)),
          '00400007': attr('LO', [step.requestedProcedureDescription]),
          '00400009': attr('SH', [step.scheduledProcedureStepID]),
          '00400020': attr('CS', ['SCHEDULED']),
        },
      ],
    },
  } as DicomJsonDataset;
}
