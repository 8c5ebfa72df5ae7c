import type { DicomJsonAttribute, DicomJsonDataset, ValueRepresentation } from '@pacskit/dicom';
import { keywordDictionary } from './keywordDictionary.js';

const numericVRs = new Set<ValueRepresentation>(['IS', 'DS', 'US', 'UL', 'SS', 'SL', 'FL', 'FD']);

/**
 * Converts `{ Keyword: "value" }` maps (Orthanc's main tags, Dicoogle's index fields) into one
 * DICOM JSON data set (PS3.18 F.2). Multiple values are backslash-separated as in DICOM
 * (PS3.5 6.4); keywords outside the dictionary are dropped.
 */
export function keywordsToDicomJson(...maps: (Record<string, unknown> | undefined)[]): DicomJsonDataset {
  const dataset: DicomJsonDataset = {};
  for (const map of maps) {
    for (const [keyword, value] of Object.entries(map ?? {})) {
      const known = keywordDictionary[keyword];
      if (!known || value === null || value === undefined || typeof value === 'object') continue;
      const [tag, vr] = known;
      dataset[tag] = attribute(vr, String(value).trim());
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
