import { createRequire } from 'node:module';
import type { DicomJsonAttribute, DicomJsonDataset, DicomJsonValue } from '@pacskit/dicom';

/** The part of dcmjs's DicomMetaDictionary we use (dcmjs ships no types). */
interface DicomMetaDictionary {
  naturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown>;
  denaturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown>;
}

const require = createRequire(import.meta.url);
const dcmjs = require('dcmjs') as { data: { DicomMetaDictionary: DicomMetaDictionary } };
const metaDictionary = dcmjs.data.DicomMetaDictionary;

/** dcmjs-dimse hands query identifiers over in dcmjs's "naturalized" (keyword) form. */
export type NaturalizedDataset = Record<string, unknown>;

function cleanValue(vr: string, value: unknown): DicomJsonValue | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (vr === 'SQ' && typeof value === 'object') return cleanDataset(value as Record<string, unknown>);
  if (vr === 'PN') {
    if (typeof value === 'string') return { Alphabetic: value };
    if (typeof value === 'object') {
      const name = value as Record<string, unknown>;
      const cleaned: Record<string, string> = {};
      for (const key of ['Alphabetic', 'Ideographic', 'Phonetic']) {
        const part = name[key];
        if (typeof part === 'string' && part !== '') cleaned[key] = part;
      }
      return Object.keys(cleaned).length === 0 ? undefined : cleaned;
    }
  }
  return value as DicomJsonValue;
}

function cleanDataset(dataset: Record<string, unknown>): DicomJsonDataset {
  const result: Record<string, DicomJsonAttribute> = {};
  for (const [tag, raw] of Object.entries(dataset)) {
    if (!/^[0-9A-Fa-f]{8}$/.test(tag)) continue;
    const attribute = raw as { vr: string; Value?: unknown[] };
    const values = (attribute.Value ?? [])
      .map((value) => cleanValue(attribute.vr, value))
      .filter((value): value is DicomJsonValue => value !== undefined);
    result[tag.toUpperCase()] = (
      values.length === 0 ? { vr: attribute.vr } : { vr: attribute.vr, Value: values }
    ) as DicomJsonAttribute;
  }
  return result as DicomJsonDataset;
}

/**
 * A naturalized identifier as DICOM JSON (PS3.18 F.2): empty values become attributes without
 * `Value` (universal matching / return keys), as QIDO-RS and the query service expect.
 */
export function naturalizedToDicomJson(dataset: NaturalizedDataset): DicomJsonDataset {
  return cleanDataset(metaDictionary.denaturalizeDataset(dataset));
}

/** DICOM JSON to dcmjs's naturalized form, for the response identifiers dcmjs-dimse encodes. */
export function dicomJsonToNaturalized(dataset: DicomJsonDataset): NaturalizedDataset {
  const copy = JSON.parse(JSON.stringify(dataset)) as Record<string, unknown>;
  const naturalized = metaDictionary.naturalizeDataset(copy);
  delete naturalized._vrMap;
  return naturalized;
}
