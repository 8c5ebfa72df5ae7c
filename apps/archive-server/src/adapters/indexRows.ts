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
  // Assigned into the freshly parsed object: spreading it into a new literal cost more than the parse.
  const dataset = JSON.parse(row.study_attrs) as DicomJsonDataset;
  dataset['00080061'] = row.modalities ? { vr: 'CS', Value: row.modalities.split('\\') } : { vr: 'CS' };
  dataset['00080062'] = row.sop_classes ? { vr: 'UI', Value: row.sop_classes.split('\\') } : { vr: 'UI' };
  dataset['00201206'] = { vr: 'IS', Value: [row.num_series] };
  dataset['00201208'] = { vr: 'IS', Value: [row.num_instances] };
  return dataset;
}

/** Series attributes plus Number of Series Related Instances (PS3.18 Table 10.6.3-4). */
export function seriesDataset(seriesAttrs: string, seriesInstances: number): DicomJsonDataset {
  const dataset = JSON.parse(seriesAttrs) as DicomJsonDataset;
  dataset['00201209'] = { vr: 'IS', Value: [seriesInstances] };
  return dataset;
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
