/**
 * Which attributes belong to which query level (PS3.4 C.6.2.1.2 Study Root, PS3.18 Table
 * 10.6.3-3/4/5). The study level carries the patient module too: QIDO-RS has no patient level.
 */
export const studyLevelTags: ReadonlySet<string> = new Set([
  '00080005', // SpecificCharacterSet
  '00080020', // StudyDate
  '00080030', // StudyTime
  '00080050', // AccessionNumber
  '00080051', // IssuerOfAccessionNumberSequence
  '00080090', // ReferringPhysicianName
  '00080201', // TimezoneOffsetFromUTC
  '00081030', // StudyDescription
  '00081032', // ProcedureCodeSequence
  '00081060', // NameOfPhysiciansReadingStudy
  '00081080', // AdmittingDiagnosesDescription
  '00100010', // PatientName
  '00100020', // PatientID
  '00100021', // IssuerOfPatientID
  '00100030', // PatientBirthDate
  '00100032', // PatientBirthTime
  '00100040', // PatientSex
  '00101000', // OtherPatientIDs
  '00101001', // OtherPatientNames
  '00101010', // PatientAge
  '00101020', // PatientSize
  '00101030', // PatientWeight
  '00102160', // EthnicGroup
  '00102180', // Occupation
  '001021B0', // AdditionalPatientHistory
  '00104000', // PatientComments
  '0020000D', // StudyInstanceUID
  '00200010', // StudyID
  '00321032', // RequestingPhysician
  '00321060', // RequestedProcedureDescription
]);

export const seriesLevelTags: ReadonlySet<string> = new Set([
  '00080021', // SeriesDate
  '00080031', // SeriesTime
  '00080060', // Modality
  '00080070', // Manufacturer
  '00080080', // InstitutionName
  '00081010', // StationName
  '0008103E', // SeriesDescription
  '00081050', // PerformingPhysicianName
  '00081070', // OperatorsName
  '00081090', // ManufacturerModelName
  '00180015', // BodyPartExamined
  '00185100', // PatientPosition
  '0020000E', // SeriesInstanceUID
  '00200011', // SeriesNumber
  '00200060', // Laterality
  '00400244', // PerformedProcedureStepStartDate
  '00400245', // PerformedProcedureStepStartTime
  '00400275', // RequestAttributesSequence
]);

/** Default QIDO-RS return attributes per level (PS3.18 Table 10.6.3-3, -4, -5). */
export const defaultStudyReturnTags = [
  '00080005',
  '00080020',
  '00080030',
  '00080050',
  '00080056',
  '00080061',
  '00080090',
  '00080201',
  '00081190',
  '00100010',
  '00100020',
  '00100030',
  '00100040',
  '0020000D',
  '00200010',
  '00201206',
  '00201208',
];
export const defaultSeriesReturnTags = [
  '00080005',
  '00080060',
  '00080201',
  '0008103E',
  '00081190',
  '0020000E',
  '00200011',
  '00201209',
  '00400244',
  '00400245',
  '00400275',
];
export const defaultInstanceReturnTags = [
  '00080005',
  '00080016',
  '00080018',
  '00080056',
  '00080201',
  '00081190',
  '00200013',
  '00280010',
  '00280011',
  '00280100',
  '00280008',
];
