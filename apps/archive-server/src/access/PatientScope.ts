import type { DicomJsonDataset } from '@pacskit/dicom';

export type AccessType = 'view' | 'download';

/**
 * What studies a principal may see. Staff roles see every study; a PATIENT token or a share link
 * sees a study when its PatientID is in `patientIds` (a linked patient with an active patient-wide
 * grant) or its StudyInstanceUID is in `studyInstanceUIDs` (an active study grant, a share link).
 */
export type PatientScope =
  | { allStudies: true }
  | { allStudies?: false; patientIds: string[]; studyInstanceUIDs?: string[]; accessTypes: AccessType[] };

export const allStudiesScope: PatientScope = { allStudies: true };

export const emptyScope: PatientScope = { patientIds: [], accessTypes: [] };

/** The study-level attributes the decision needs (DICOM JSON, tags or keywords). */
export interface StudyVisibilityAttributes {
  PatientID?: string | undefined;
  StudyInstanceUID?: string | undefined;
}

function firstString(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
}

/** Reads PatientID (0010,0020) and StudyInstanceUID (0020,000D) from a DICOM JSON data set. */
export function studyVisibilityAttributes(dataset: DicomJsonDataset): StudyVisibilityAttributes {
  return { PatientID: firstString(dataset, '00100020'), StudyInstanceUID: firstString(dataset, '0020000D') };
}

/**
 * The authoritative check: every row a scoped principal receives (QIDO, WADO, thumbnails, FHIR,
 * API) must pass it. Accepts either keyword attributes or a DICOM JSON study data set.
 */
export function isStudyVisible(
  scope: PatientScope,
  study: StudyVisibilityAttributes | DicomJsonDataset,
): boolean {
  if (scope.allStudies === true) return true;
  const attrs: StudyVisibilityAttributes =
    '00100020' in study || '0020000D' in study
      ? studyVisibilityAttributes(study as DicomJsonDataset)
      : (study as StudyVisibilityAttributes);
  if (attrs.PatientID !== undefined && attrs.PatientID !== '' && scope.patientIds.includes(attrs.PatientID)) {
    return true;
  }
  const uid = attrs.StudyInstanceUID;
  return uid !== undefined && uid !== '' && (scope.studyInstanceUIDs ?? []).includes(uid);
}

/** Whether the scope lets the principal download (WADO-RS bulk retrieval, ZIP) rather than only view. */
export function canDownload(scope: PatientScope): boolean {
  return scope.allStudies === true || scope.accessTypes.includes('download');
}

/** A QIDO-RS / C-FIND style query: matching keys by keyword or tag. */
export interface ScopableQuery {
  match?: Record<string, string>;
}

const patientIdKeys = ['PatientID', '00100020'];
const studyUidKeys = ['StudyInstanceUID', '0020000D'];
const wildcard = /[*?\\]/;

function matchValue(
  match: Record<string, string>,
  keys: string[],
): { key: string; value: string } | undefined {
  for (const key of keys) {
    const value = match[key];
    if (value !== undefined) return { key, value };
  }
  return undefined;
}

/**
 * Narrows a query to the scope so that the index does the work (PS3.4 C.2.2.2.2 list-of-UID
 * matching for study grants; single value matching for one patient). Returns `undefined` when no
 * study can be visible — the caller answers with an empty result, exactly as for a non-matching
 * query, so a scoped caller learns nothing about other patients. The narrowed query is an
 * optimisation: callers still filter every row with `isStudyVisible`.
 */
export function applyPatientScope<Q extends ScopableQuery>(scope: PatientScope, query: Q): Q | undefined {
  if (scope.allStudies === true) return query;
  const uids = scope.studyInstanceUIDs ?? [];
  if (scope.patientIds.length === 0 && uids.length === 0) return undefined;
  const match = { ...(query.match ?? {}) };
  const askedPatient = matchValue(match, patientIdKeys);
  const askedStudy = matchValue(match, studyUidKeys);
  if (askedPatient && askedPatient.value !== '' && !wildcard.test(askedPatient.value)) {
    // A single PatientID outside the scope: only granted studies of that patient could match.
    if (!scope.patientIds.includes(askedPatient.value) && uids.length === 0) return undefined;
  }
  if (askedStudy && askedStudy.value !== '') {
    const asked = askedStudy.value.split('\\').filter((u) => u !== '');
    if (scope.patientIds.length === 0) {
      const allowed = asked.filter((u) => uids.includes(u));
      if (allowed.length === 0) return undefined;
      match[askedStudy.key] = allowed.join('\\');
    }
    return { ...query, match };
  }
  if (scope.patientIds.length === 0) {
    match.StudyInstanceUID = uids.join('\\');
  } else if (scope.patientIds.length === 1 && uids.length === 0 && !askedPatient) {
    const only = scope.patientIds[0]!;
    if (!wildcard.test(only)) match.PatientID = only;
  }
  return { ...query, match };
}
