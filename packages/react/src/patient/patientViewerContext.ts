import { createPartContext } from '../internal/createPartContext.js';
import type { ExplanationCatalogue } from './explanations.js';

/** What the patient's grant allows beyond viewing. */
export interface PatientPermissions {
  /** Download the study (ZIP of DICOM, or JPEG pictures). */
  download?: boolean;
  /** Create an expiring link for a doctor. */
  share?: boolean;
}

export interface PatientViewerContextValue {
  patientID: string | undefined;
  permissions: PatientPermissions;
  consented: boolean;
  setConsented: (consented: boolean) => void;
  selected: string | undefined;
  select: (studyInstanceUID: string | undefined) => void;
  explanations: ExplanationCatalogue;
  /** The clock, for report release times and link expiry. */
  now: () => number;
}

export const PatientViewerContext = createPartContext<PatientViewerContextValue>('PatientViewer.Root');
