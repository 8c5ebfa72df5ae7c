import type { DicomJsonAttribute, DicomJsonDataset } from '@pacskit/dicom';

const specificCharacterSet = '00080005';
const queryRetrieveLevel = '00080052';

/**
 * A C-FIND response identifier holds exactly the keys of the request identifier (PS3.4
 * C.4.1.1.3.2, K.4.1.1.3.2): each with the match's value, or empty when the match has none.
 * Sequence keys are projected item by item on the request's first item. Specific Character Set is
 * added whenever the match uses one, so the SCU can decode the values.
 */
export function projectIdentifier(request: DicomJsonDataset, match: DicomJsonDataset): DicomJsonDataset {
  const result: Record<string, DicomJsonAttribute> = {};
  const matchCharset = match[specificCharacterSet];
  if (matchCharset?.Value && matchCharset.Value.length > 0) result[specificCharacterSet] = matchCharset;
  for (const [tag, key] of Object.entries(request)) {
    if (tag === specificCharacterSet) continue;
    if (tag === queryRetrieveLevel) {
      result[tag] = key;
      continue;
    }
    const value = match[tag];
    if (!value) {
      result[tag] = { vr: key.vr };
      continue;
    }
    if (key.vr === 'SQ' && value.vr === 'SQ') {
      const itemKeys = key.Value?.[0];
      if (itemKeys && typeof itemKeys === 'object' && !('Alphabetic' in itemKeys)) {
        const items = (value.Value ?? []).map((item) =>
          projectIdentifier(itemKeys as DicomJsonDataset, item as DicomJsonDataset),
        );
        result[tag] = items.length === 0 ? { vr: 'SQ' } : { vr: 'SQ', Value: items };
        continue;
      }
    }
    result[tag] = value;
  }
  return result;
}
