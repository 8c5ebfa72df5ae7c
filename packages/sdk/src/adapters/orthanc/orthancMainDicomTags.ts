import type { DicomJsonAttribute, DicomJsonDataset, ValueRepresentation } from '@pacskit/dicom';

/**
 * Orthanc's "main DICOM tags" (what `/tools/find` with `Expand` returns, Orthanc Book
 * "Main DICOM tags" for 1.10) with their tag and VR, to turn its `{ Keyword: "value" }` objects
 * into DICOM JSON (PS3.18 F.2).
 */
const mainTags: Record<string, [tag: string, vr: ValueRepresentation]> = {
  PatientID: ['00100020', 'LO'],
  PatientName: ['00100010', 'PN'],
  PatientBirthDate: ['00100030', 'DA'],
  PatientSex: ['00100040', 'CS'],
  OtherPatientIDs: ['00101000', 'LO'],
  StudyInstanceUID: ['0020000D', 'UI'],
  StudyDate: ['00080020', 'DA'],
  StudyTime: ['00080030', 'TM'],
  StudyID: ['00200010', 'SH'],
  StudyDescription: ['00081030', 'LO'],
  AccessionNumber: ['00080050', 'SH'],
  ReferringPhysicianName: ['00080090', 'PN'],
  InstitutionName: ['00080080', 'LO'],
  RequestingPhysician: ['00321032', 'PN'],
  RequestedProcedureDescription: ['00321060', 'LO'],
  SeriesInstanceUID: ['0020000E', 'UI'],
  SeriesDate: ['00080021', 'DA'],
  SeriesTime: ['00080031', 'TM'],
  Modality: ['00080060', 'CS'],
  Manufacturer: ['00080070', 'LO'],
  StationName: ['00081010', 'SH'],
  SeriesDescription: ['0008103E', 'LO'],
  BodyPartExamined: ['00180015', 'CS'],
  SequenceName: ['00180024', 'SH'],
  ProtocolName: ['00181030', 'LO'],
  SeriesNumber: ['00200011', 'IS'],
  SOPInstanceUID: ['00080018', 'UI'],
  InstanceNumber: ['00200013', 'IS'],
  NumberOfFrames: ['00280008', 'IS'],
  ModalitiesInStudy: ['00080061', 'CS'],
  SOPClassUID: ['00080016', 'UI'],
  NumberOfStudyRelatedSeries: ['00201206', 'IS'],
  NumberOfStudyRelatedInstances: ['00201208', 'IS'],
  NumberOfSeriesRelatedInstances: ['00201209', 'IS'],
};

const numericVRs = new Set<ValueRepresentation>(['IS', 'DS', 'US', 'UL', 'SS', 'SL', 'FL', 'FD']);

/** Converts Orthanc's keyword → string maps into one DICOM JSON data set; unknown keywords are dropped. */
export function orthancTagsToDicomJson(...maps: (Record<string, string> | undefined)[]): DicomJsonDataset {
  const dataset: DicomJsonDataset = {};
  for (const map of maps) {
    for (const [keyword, text] of Object.entries(map ?? {})) {
      const known = mainTags[keyword];
      if (!known) continue;
      const [tag, vr] = known;
      dataset[tag] = attribute(vr, text);
    }
  }
  return dataset;
}

function attribute(vr: ValueRepresentation, text: string): DicomJsonAttribute {
  if (text === '') return { vr };
  const values = text.split('\\');
  if (vr === 'PN') return { vr, Value: values.map((value) => ({ Alphabetic: value })) };
  if (numericVRs.has(vr)) {
    return { vr, Value: values.map((value) => (Number.isFinite(Number(value)) ? Number(value) : value)) };
  }
  return { vr, Value: values };
}

/** Whether `/tools/find` can answer a study query on these keys (else the adapter uses QIDO-RS). */
export function isStudyFindKey(key: string): boolean {
  return key in mainTags && !key.startsWith('NumberOf');
}
