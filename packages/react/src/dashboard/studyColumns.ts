import type { Study } from '@pacskit/sdk';
import type { MessageKey } from '../i18n/messagesEn.js';
import { formatPersonName } from '../internal/formatDicom.js';

export type StudyColumnId =
  | 'patientName'
  | 'patientID'
  | 'studyDate'
  | 'modalities'
  | 'description'
  | 'accessionNumber'
  | 'source';

export interface StudySort {
  column: StudyColumnId;
  direction: 'ascending' | 'descending';
}

export interface StudyColumn {
  id: StudyColumnId;
  label: MessageKey;
  /** CSS grid track of the column. */
  width: string;
  sortValue: (study: Study) => string;
}

export const studyColumns: readonly StudyColumn[] = [
  {
    id: 'patientName',
    label: 'studyList.patientName',
    width: 'minmax(120px,1.4fr)',
    sortValue: (s) => formatPersonName(s.PatientName).toLowerCase(),
  },
  {
    id: 'patientID',
    label: 'studyList.patientID',
    width: 'minmax(80px,0.8fr)',
    sortValue: (s) => s.PatientID ?? '',
  },
  {
    id: 'studyDate',
    label: 'studyList.studyDate',
    width: 'minmax(90px,0.8fr)',
    sortValue: (s) => `${s.StudyDate ?? ''}${s.StudyTime ?? ''}`,
  },
  {
    id: 'modalities',
    label: 'studyList.modalities',
    width: 'minmax(60px,0.5fr)',
    sortValue: (s) => s.ModalitiesInStudy.join('/'),
  },
  {
    id: 'description',
    label: 'studyList.description',
    width: 'minmax(120px,1.5fr)',
    sortValue: (s) => (s.StudyDescription ?? '').toLowerCase(),
  },
  {
    id: 'accessionNumber',
    label: 'studyList.accessionNumber',
    width: 'minmax(80px,0.8fr)',
    sortValue: (s) => s.AccessionNumber ?? '',
  },
  {
    id: 'source',
    label: 'studyList.source',
    width: 'minmax(80px,0.7fr)',
    sortValue: (s) => s.sources.join(','),
  },
];

/** A stable sort (Array.prototype.sort is stable since ES2019), so equal keys keep archive order. */
export function sortStudies(studies: readonly Study[], sort: StudySort | undefined): readonly Study[] {
  if (!sort) return studies;
  const column = studyColumns.find((candidate) => candidate.id === sort.column);
  if (!column) return studies;
  const factor = sort.direction === 'ascending' ? 1 : -1;
  const keyed = studies.map((study) => [column.sortValue(study), study] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -factor : a[0] > b[0] ? factor : 0));
  return keyed.map(([, study]) => study);
}
