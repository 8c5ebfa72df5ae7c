import { keywordDictionary } from '../../views/keywordDictionary.js';

/**
 * Whether `/tools/find` can answer a study query on this key: Orthanc 1.10 matches its main
 * DICOM tags (Orthanc Book, "Main DICOM tags") and ModalitiesInStudy; anything else goes
 * through QIDO-RS.
 */
export function isStudyFindKey(key: string): boolean {
  return key in studyFindKeys;
}

const studyFindKeys: Readonly<Record<string, true>> = Object.fromEntries(
  [
    'PatientID',
    'PatientName',
    'PatientBirthDate',
    'PatientSex',
    'OtherPatientIDs',
    'StudyInstanceUID',
    'StudyDate',
    'StudyTime',
    'StudyID',
    'StudyDescription',
    'AccessionNumber',
    'ReferringPhysicianName',
    'InstitutionName',
    'RequestingPhysician',
    'RequestedProcedureDescription',
    'ModalitiesInStudy',
  ]
    .filter((keyword) => keyword in keywordDictionary)
    .map((keyword) => [keyword, true as const]),
);
