import type { DicomJsonDataset } from '@pacskit/dicom';
import { PacsError } from '@pacskit/dicom';
import { isStudyVisible, studyVisibilityAttributes } from '../access/PatientScope.js';
import type { Principal } from '../access/Principal.js';
import type { ApiDependencies } from './ApiDependencies.js';
import type { AuditContext } from './ApiRoute.js';

export function requirePrincipal(principal: Principal | undefined): Principal {
  if (!principal) throw new PacsError('UNAUTHENTICATED', 'valid credentials are required');
  return principal;
}

/** The acting user id for per-user records (annotations, reports); API keys act as themselves. */
export function actorId(principal: Principal): string {
  return principal.userId ?? principal.subject;
}

/**
 * A stored study the principal may see, else NOT_FOUND — the same answer whether the study does
 * not exist or belongs to someone else, so its existence never leaks. The audit context records
 * the patient and study when visible, and marks the 404 as a denial when hidden.
 */
export async function visibleStudy(
  deps: ApiDependencies,
  principal: Principal,
  studyInstanceUID: string,
  audit: AuditContext,
): Promise<DicomJsonDataset> {
  audit.studyInstanceUID = studyInstanceUID;
  const study = await deps.studies.findStudy(studyInstanceUID);
  if (!study) throw new PacsError('NOT_FOUND', 'not found');
  if (!isStudyVisible(principal.patientScope, study)) {
    audit.hidden = true;
    throw new PacsError('NOT_FOUND', 'not found');
  }
  const patientId = studyVisibilityAttributes(study).PatientID;
  if (patientId !== undefined) audit.patientId = patientId;
  return study;
}

/** Same rule for workflow records that name a patient and a study (orders, reports). */
export function requireVisibleRecord(
  principal: Principal,
  record: { patientId: string; studyInstanceUID: string } | undefined,
  audit: AuditContext,
): void {
  if (!record) throw new PacsError('NOT_FOUND', 'not found');
  audit.studyInstanceUID = record.studyInstanceUID;
  if (
    !isStudyVisible(principal.patientScope, {
      PatientID: record.patientId,
      StudyInstanceUID: record.studyInstanceUID,
    })
  ) {
    audit.hidden = true;
    throw new PacsError('NOT_FOUND', 'not found');
  }
  audit.patientId = record.patientId;
}

/** Staff = a principal that sees all studies (not a patient, not a share link). */
export function isStaff(principal: Principal): boolean {
  return principal.patientScope.allStudies === true;
}
