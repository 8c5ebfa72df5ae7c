import type { DicomJsonDataset, DicomJsonValue, PersonNameValue } from '@pacskit/dicom';
import type { DatasetNormalizer } from './normalization.js';

/**
 * The built-in normaliser every adapter applies first: person names lose trailing component
 * separators and padding ("DOE^JOHN^^^ " → "DOE^JOHN"), which PS3.5 6.2 (PN) says mean the same,
 * so that the same patient reads the same from every archive.
 */
export const trimPersonNames: DatasetNormalizer = (dataset) => {
  let changed: DicomJsonDataset | undefined;
  for (const [tag, attribute] of Object.entries(dataset)) {
    if (attribute.vr !== 'PN' || !attribute.Value) continue;
    const values = attribute.Value.map(trimValue);
    if (values.some((value, index) => value !== attribute.Value![index])) {
      changed ??= { ...dataset };
      changed[tag] = { ...attribute, Value: values };
    }
  }
  return changed ?? dataset;
};

function trimValue(value: DicomJsonValue): DicomJsonValue {
  if (value === null || typeof value !== 'object' || !isPersonName(value)) return value;
  const out: PersonNameValue = {};
  let changed = false;
  for (const group of ['Alphabetic', 'Ideographic', 'Phonetic'] as const) {
    const text = value[group];
    if (text === undefined) continue;
    const trimmed = text.trim().replace(/\^+$/, '').trim();
    if (trimmed !== text) changed = true;
    if (trimmed !== '') out[group] = trimmed;
  }
  return changed ? out : value;
}

function isPersonName(value: object): value is PersonNameValue {
  return 'Alphabetic' in value || 'Ideographic' in value || 'Phonetic' in value;
}
