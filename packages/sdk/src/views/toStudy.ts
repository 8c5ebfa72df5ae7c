import type { DicomJsonDataset } from '@pacskit/dicom';
import type { Instance, Series, Study } from '../pacsAdapter.js';
import { getNumber, getText, getTexts } from './dicomJsonValues.js';
import { tags } from './tags.js';

/** The typed view of a study-level data set (QIDO-RS study result, PS3.18 Table 10.6.3-3). */
export function toStudy(dataset: DicomJsonDataset, sources: readonly string[]): Study {
  return {
    StudyInstanceUID: getText(dataset, tags.StudyInstanceUID) ?? '',
    ...optional('PatientName', getText(dataset, tags.PatientName)),
    ...optional('PatientID', getText(dataset, tags.PatientID)),
    ...optional('PatientBirthDate', getText(dataset, tags.PatientBirthDate)),
    ...optional('PatientSex', getText(dataset, tags.PatientSex)),
    ...optional('StudyDate', getText(dataset, tags.StudyDate)),
    ...optional('StudyTime', getText(dataset, tags.StudyTime)),
    ...optional('AccessionNumber', getText(dataset, tags.AccessionNumber)),
    ...optional('StudyDescription', getText(dataset, tags.StudyDescription)),
    ...optional('StudyID', getText(dataset, tags.StudyID)),
    ...optional('ReferringPhysicianName', getText(dataset, tags.ReferringPhysicianName)),
    ModalitiesInStudy: getTexts(dataset, tags.ModalitiesInStudy),
    ...optional('NumberOfStudyRelatedSeries', getNumber(dataset, tags.NumberOfStudyRelatedSeries)),
    ...optional('NumberOfStudyRelatedInstances', getNumber(dataset, tags.NumberOfStudyRelatedInstances)),
    sources: [...sources],
    dataset,
  };
}

/** The typed view of a series-level data set (PS3.18 Table 10.6.3-4). */
export function toSeries(dataset: DicomJsonDataset, sources: readonly string[]): Series {
  return {
    StudyInstanceUID: getText(dataset, tags.StudyInstanceUID) ?? '',
    SeriesInstanceUID: getText(dataset, tags.SeriesInstanceUID) ?? '',
    ...optional('Modality', getText(dataset, tags.Modality)),
    ...optional('SeriesNumber', getNumber(dataset, tags.SeriesNumber)),
    ...optional('SeriesDescription', getText(dataset, tags.SeriesDescription)),
    ...optional('BodyPartExamined', getText(dataset, tags.BodyPartExamined)),
    ...optional('SeriesDate', getText(dataset, tags.SeriesDate)),
    ...optional('NumberOfSeriesRelatedInstances', getNumber(dataset, tags.NumberOfSeriesRelatedInstances)),
    sources: [...sources],
    dataset,
  };
}

/** The typed view of an instance-level data set (PS3.18 Table 10.6.3-5). */
export function toInstance(dataset: DicomJsonDataset, sources: readonly string[]): Instance {
  return {
    StudyInstanceUID: getText(dataset, tags.StudyInstanceUID) ?? '',
    SeriesInstanceUID: getText(dataset, tags.SeriesInstanceUID) ?? '',
    SOPInstanceUID: getText(dataset, tags.SOPInstanceUID) ?? '',
    ...optional('SOPClassUID', getText(dataset, tags.SOPClassUID)),
    ...optional('InstanceNumber', getNumber(dataset, tags.InstanceNumber)),
    ...optional('Rows', getNumber(dataset, tags.Rows)),
    ...optional('Columns', getNumber(dataset, tags.Columns)),
    ...optional('NumberOfFrames', getNumber(dataset, tags.NumberOfFrames)),
    sources: [...sources],
    dataset,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
