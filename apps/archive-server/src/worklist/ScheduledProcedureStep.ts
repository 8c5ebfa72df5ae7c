import { z } from 'zod';

/** Scheduled Procedure Step Status (0040,0020), PS3.3 C.4.10. */
export type ScheduledProcedureStepStatus =
  | 'SCHEDULED'
  | 'ARRIVED'
  | 'READY'
  | 'STARTED'
  | 'COMPLETED'
  | 'DISCONTINUED';

/** Performed Procedure Step Status (0040,0252), PS3.3 C.4.14. */
export type PerformedProcedureStepStatus = 'IN PROGRESS' | 'COMPLETED' | 'DISCONTINUED';

const uid = z
  .string()
  .regex(/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/)
  .max(64);
const date = z.string().regex(/^\d{8}$/, 'DA: YYYYMMDD');
const time = z.string().regex(/^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/, 'TM: HHMMSS');
const cs = z.string().min(1).max(16);
const lo = z.string().max(64);

/** What `POST /api/worklist` takes: one requested procedure with one scheduled step (PS3.4 K.6). */
export const scheduledProcedureStepInputSchema = z.object({
  scheduledProcedureStepID: z.string().min(1).max(16).optional(),
  patientID: lo.min(1),
  patientName: z.string().max(320),
  patientBirthDate: date.optional(),
  patientSex: z.enum(['M', 'F', 'O']).optional(),
  accessionNumber: z.string().max(16).optional(),
  requestedProcedureID: z.string().max(16).optional(),
  requestedProcedureDescription: lo.optional(),
  studyInstanceUID: uid.optional(),
  referringPhysicianName: z.string().max(320).optional(),
  modality: cs,
  scheduledStationAETitle: z.string().max(16).optional(),
  scheduledProcedureStepStartDate: date,
  scheduledProcedureStepStartTime: time.optional(),
  scheduledPerformingPhysicianName: z.string().max(320).optional(),
  scheduledProcedureStepDescription: lo.optional(),
});

export type ScheduledProcedureStepInput = z.infer<typeof scheduledProcedureStepInputSchema>;

export interface ScheduledProcedureStep extends ScheduledProcedureStepInput {
  scheduledProcedureStepID: string;
  studyInstanceUID: string;
  status: ScheduledProcedureStepStatus;
  createdAt: string;
}

/** A Modality Performed Procedure Step as received by N-CREATE and N-SET (PS3.4 F.7). */
export interface PerformedProcedureStep {
  sopInstanceUID: string;
  status: PerformedProcedureStepStatus;
  /** The scheduled step it performs (Scheduled Step Attributes Sequence), when the modality said. */
  scheduledProcedureStepID: string | undefined;
  studyInstanceUID: string | undefined;
  performedStationAETitle: string | undefined;
  /** The whole N-CREATE data set with every N-SET merged in, as DICOM JSON text. */
  dataset: string;
  createdAt: string;
  updatedAt: string;
}
