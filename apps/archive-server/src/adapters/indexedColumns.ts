import type { DicomJsonDataset } from '@pacskit/dicom';
import type { QueryLevel } from '../ports/Index.js';

/**
 * The attributes with a column of their own in the index, shared by the SQLite and PostgreSQL
 * adapters so both match, sort and list alike (PS3.4 C.6.2.1 required and common keys).
 */
export interface IndexedColumn {
  /** Table alias in the adapters' queries: studies `st`, series `se`, instances `i` (others in subqueries). */
  table: string;
  column: string;
  numeric?: boolean;
  personName?: boolean;
}

const studyColumns: Record<string, IndexedColumn> = {
  '0020000D': { table: 'st', column: 'study_uid' },
  '00100020': { table: 'st', column: 'patient_id' },
  '00100010': { table: 'st', column: 'patient_name', personName: true },
  '00100030': { table: 'st', column: 'patient_birth_date' },
  '00100040': { table: 'st', column: 'patient_sex' },
  '00080020': { table: 'st', column: 'study_date' },
  '00080030': { table: 'st', column: 'study_time' },
  '00080050': { table: 'st', column: 'accession_number' },
  '00200010': { table: 'st', column: 'study_id' },
  '00080090': { table: 'st', column: 'referring_physician_name', personName: true },
  '00081030': { table: 'st', column: 'study_description' },
};
const seriesColumns: Record<string, IndexedColumn> = {
  '0020000E': { table: 'se', column: 'series_uid' },
  '00080060': { table: 'se', column: 'modality' },
  '00200011': { table: 'se', column: 'series_number', numeric: true },
  '0008103E': { table: 'se', column: 'series_description' },
  '00080021': { table: 'se', column: 'series_date' },
  '00080031': { table: 'se', column: 'series_time' },
};
const instanceColumns: Record<string, IndexedColumn> = {
  '00080018': { table: 'i', column: 'sop_uid' },
  '00080016': { table: 'i', column: 'sop_class_uid' },
  '00200013': { table: 'i', column: 'instance_number', numeric: true },
};

/** ModalitiesInStudy (0008,0061) matches when any series of the study has the modality. */
export const modalitiesInStudy = '00080061';

/** The indexed columns a search at this level can filter and sort on (upper levels included). */
export function columnsFor(level: QueryLevel): Record<string, IndexedColumn> {
  if (level === 'study') return studyColumns;
  if (level === 'series') return { ...studyColumns, ...seriesColumns };
  return { ...studyColumns, ...seriesColumns, ...instanceColumns };
}

/** The value an indexed column holds: the first value, a PN as its alphabetic group. */
export function firstValue(dataset: DicomJsonDataset, tag: string): string | number | null {
  const value = dataset[tag]?.Value?.[0];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'object' && 'Alphabetic' in value)
    return (value.Alphabetic as string | undefined) ?? null;
  return null;
}
