import type { DicomJsonAttribute, DicomJsonDataset, DicomJsonValue } from '@pacskit/dicom';
import { BufferSource } from '../part10/ByteSource.js';
import { readPart10 } from '../part10/readPart10.js';
import { writeFileMetaInformation } from './part10.js';

function cleanValue(vr: string, value: DicomJsonValue): DicomJsonValue | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (vr === 'SQ' && typeof value === 'object') return cleanDataset(value as DicomJsonDataset);
  if (vr === 'PN' && typeof value === 'object') {
    const name = value as Record<string, unknown>;
    const cleaned: Record<string, string> = {};
    for (const key of ['Alphabetic', 'Ideographic', 'Phonetic']) {
      const part = name[key];
      if (typeof part === 'string' && part !== '') cleaned[key] = part;
    }
    return Object.keys(cleaned).length === 0 ? undefined : (cleaned as DicomJsonValue);
  }
  return value;
}

function cleanDataset(dataset: DicomJsonDataset): DicomJsonDataset {
  const result: Record<string, DicomJsonAttribute> = {};
  for (const [tag, attribute] of Object.entries(dataset)) {
    const values = (attribute.Value ?? [])
      .map((value) => cleanValue(attribute.vr, value))
      .filter((value): value is DicomJsonValue => value !== undefined);
    result[tag] = (
      values.length === 0 ? { vr: attribute.vr } : { vr: attribute.vr, Value: values }
    ) as DicomJsonAttribute;
  }
  return result as DicomJsonDataset;
}

/**
 * A query identifier (C-FIND, C-MOVE, C-GET data set) as DICOM JSON (PS3.18 F.2), read by the
 * archive's own Part 10 reader — the one ingest uses — instead of dcmjs-dimse's parse through
 * dcmjs's naturalized form (about a millisecond per request). Empty values become attributes
 * without `Value` (universal matching / return keys), as QIDO-RS and the query service expect.
 */
export function decodeIdentifier(bytes: Buffer, transferSyntaxUID: string): DicomJsonDataset {
  const meta = writeFileMetaInformation({
    mediaStorageSOPClassUID: '',
    mediaStorageSOPInstanceUID: '',
    transferSyntaxUID,
  });
  const { dataset } = readPart10(new BufferSource(Buffer.concat([meta, bytes])), {
    bulkDataThreshold: Number.POSITIVE_INFINITY,
  });
  return cleanDataset(dataset);
}
