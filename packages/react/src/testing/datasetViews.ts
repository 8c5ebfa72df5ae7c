import type { DicomJsonDataset, PersonNameValue } from '@pacskit/dicom';
import type { Instance, Series, Study } from '@pacskit/sdk';

/** Tags of the attributes the fixture adapter reads or rewrites (PS3.6). */
export const tags = {
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  StudyDate: '00080020',
  StudyTime: '00080030',
  AccessionNumber: '00080050',
  Modality: '00080060',
  ModalitiesInStudy: '00080061',
  ReferringPhysicianName: '00080090',
  StudyDescription: '00081030',
  SeriesDescription: '0008103E',
  PatientName: '00100010',
  PatientID: '00100020',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  BodyPartExamined: '00180015',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  StudyID: '00200010',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  Rows: '00280010',
  Columns: '00280011',
  NumberOfFrames: '00280008',
} as const;

export function stringOf(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return (value as PersonNameValue).Alphabetic;
  return String(value);
}

export function numberOf(dataset: DicomJsonDataset, tag: string): number | undefined {
  const value = stringOf(dataset, tag);
  if (value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

export function studyOf(instances: DicomJsonDataset[], seriesCount: number, sourceId: string): Study {
  const dataset = instances[0]!;
  const modalities = [
    ...new Set(instances.map((instance) => stringOf(instance, tags.Modality)).filter(Boolean)),
  ];
  return {
    StudyInstanceUID: stringOf(dataset, tags.StudyInstanceUID)!,
    ...optional('PatientName', stringOf(dataset, tags.PatientName)),
    ...optional('PatientID', stringOf(dataset, tags.PatientID)),
    ...optional('PatientBirthDate', stringOf(dataset, tags.PatientBirthDate)),
    ...optional('PatientSex', stringOf(dataset, tags.PatientSex)),
    ...optional('StudyDate', stringOf(dataset, tags.StudyDate)),
    ...optional('StudyTime', stringOf(dataset, tags.StudyTime)),
    ...optional('AccessionNumber', stringOf(dataset, tags.AccessionNumber)),
    ...optional('StudyDescription', stringOf(dataset, tags.StudyDescription)),
    ...optional('StudyID', stringOf(dataset, tags.StudyID)),
    ...optional('ReferringPhysicianName', stringOf(dataset, tags.ReferringPhysicianName)),
    ModalitiesInStudy: modalities as string[],
    NumberOfStudyRelatedSeries: seriesCount,
    NumberOfStudyRelatedInstances: instances.length,
    sources: [sourceId],
    dataset,
  };
}

export function seriesOf(instances: DicomJsonDataset[], sourceId: string): Series {
  const dataset = instances[0]!;
  return {
    StudyInstanceUID: stringOf(dataset, tags.StudyInstanceUID)!,
    SeriesInstanceUID: stringOf(dataset, tags.SeriesInstanceUID)!,
    ...optional('Modality', stringOf(dataset, tags.Modality)),
    ...optional('SeriesNumber', numberOf(dataset, tags.SeriesNumber)),
    ...optional('SeriesDescription', stringOf(dataset, tags.SeriesDescription)),
    ...optional('BodyPartExamined', stringOf(dataset, tags.BodyPartExamined)),
    ...optional('SeriesDate', stringOf(dataset, tags.StudyDate)),
    NumberOfSeriesRelatedInstances: instances.length,
    sources: [sourceId],
    dataset,
  };
}

export function instanceOf(dataset: DicomJsonDataset, sourceId: string): Instance {
  return {
    StudyInstanceUID: stringOf(dataset, tags.StudyInstanceUID)!,
    SeriesInstanceUID: stringOf(dataset, tags.SeriesInstanceUID)!,
    SOPInstanceUID: stringOf(dataset, tags.SOPInstanceUID)!,
    ...optional('SOPClassUID', stringOf(dataset, tags.SOPClassUID)),
    ...optional('InstanceNumber', numberOf(dataset, tags.InstanceNumber)),
    ...optional('Rows', numberOf(dataset, tags.Rows)),
    ...optional('Columns', numberOf(dataset, tags.Columns)),
    ...optional('NumberOfFrames', numberOf(dataset, tags.NumberOfFrames)),
    sources: [sourceId],
    dataset,
  };
}
