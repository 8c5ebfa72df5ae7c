import type { QueryKeys } from '@pacskit/sdk';

/** What a person searches studies by; turned into QIDO-RS matching keys by `toStudyQueryKeys`. */
export interface StudySearchQuery {
  patientName?: string;
  patientID?: string;
  accessionNumber?: string;
  /** DICOM DA (YYYYMMDD), inclusive. */
  studyDateFrom?: string;
  /** DICOM DA (YYYYMMDD), inclusive. */
  studyDateTo?: string;
  modality?: string;
  studyDescription?: string;
  /** Federated mode: only studies held by this source. */
  sourceId?: string;
  limit?: number;
  offset?: number;
}

function wildcard(value: string): string {
  // PS3.4 C.2.2.2.4 wild card matching: a trailing `*` gives "starts with", what people expect
  // from a search box; a value that already has wildcards is left as typed.
  return /[*?]/.test(value) ? value : `${value}*`;
}

/** QIDO-RS matching keys (PS3.18 8.3.4) for a search: names and descriptions by prefix, dates as a range. */
export function toStudyQueryKeys(query: StudySearchQuery): QueryKeys {
  const keys: QueryKeys = {};
  const name = query.patientName?.trim();
  if (name) keys.PatientName = wildcard(name);
  if (query.patientID?.trim()) keys.PatientID = query.patientID.trim();
  if (query.accessionNumber?.trim()) keys.AccessionNumber = query.accessionNumber.trim();
  const description = query.studyDescription?.trim();
  if (description) keys.StudyDescription = wildcard(description);
  if (query.modality) keys.ModalitiesInStudy = query.modality;
  // PS3.4 C.2.2.2.5 range matching: "from-", "-to" or "from-to".
  if (query.studyDateFrom || query.studyDateTo) {
    keys.StudyDate = `${query.studyDateFrom ?? ''}-${query.studyDateTo ?? ''}`;
  }
  return keys;
}
