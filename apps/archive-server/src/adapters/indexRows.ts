import type { DicomJsonDataset } from '@pacskit/dicom';
import type { InstanceRecord } from '../ports/Index.js';

/**
 * Decoding the rows the SQLite and PostgreSQL indexes read back. Both store the same JSON text
 * columns, so only the SQL that fetches the rows differs between them.
 */

/** One instance as both adapters read it back: its record, metadata and the level attributes. */
export interface InstanceRow {
  record: string;
  metadata: string;
  study_attrs: string;
  series_attrs: string;
  instance_attrs: string;
}

/** One study as both adapters read it back, with the aggregates the query computed. */
export interface StudyRow {
  study_attrs: string;
  num_series: number;
  num_instances: number;
  modalities: string | null;
  sop_classes: string | null;
}

/** Study attributes plus the computed ones (PS3.18 Table 10.6.3-3 / PS3.4 C.6.2.1.2). */
export function studyDataset(row: StudyRow): DicomJsonDataset {
  return {
    ...JSON.parse(row.study_attrs),
    '00080061': row.modalities ? { vr: 'CS', Value: row.modalities.split('\\') } : { vr: 'CS' },
    '00080062': row.sop_classes ? { vr: 'UI', Value: row.sop_classes.split('\\') } : { vr: 'UI' },
    '00201206': { vr: 'IS', Value: [row.num_series] },
    '00201208': { vr: 'IS', Value: [row.num_instances] },
  };
}

export function toRecord(row: InstanceRow): InstanceRecord {
  return {
    ...JSON.parse(row.record),
    metadata: row.metadata,
    study: JSON.parse(row.study_attrs),
    series: JSON.parse(row.series_attrs),
    instance: JSON.parse(row.instance_attrs),
  } as InstanceRecord;
}

/**
 * LIKE pattern from a DICOM wildcard (PS3.4 C.2.2.2.4): escape LIKE's own metacharacters first.
 * The pattern is for `LIKE … ESCAPE '\'` in either dialect.
 */
export function likePattern(pattern: string): string {
  return pattern
    .replace(/[\\%_]/g, '\\$&')
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}
