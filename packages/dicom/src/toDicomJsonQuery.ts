import { toAttribute } from './attributeAccessors.js';
import type { DicomJsonDataset } from './dicomJson.js';
import { isPrivateTag, toTag, vrOf } from './dictionary.js';
import { PacsError } from './pacsError.js';

/**
 * Builds a query data set (C-FIND identifier, QIDO-RS keys as DICOM JSON) from keywords or tags.
 * Matching keys keep their text as given (wildcards, ranges "20240101-", UID lists), so DA/TM/DT,
 * DS/IS and PN keys stay strings: PS3.4 C.2.2.2 matching is done on the text. An empty string is a
 * universal-match (return) key.
 */
export function toDicomJsonQuery(keys: Record<string, string | number | string[]>): DicomJsonDataset {
  const query: DicomJsonDataset = {};
  for (const [key, value] of Object.entries(keys)) {
    if (key.includes('.')) {
      addNestedKey(query, key.split('.'), value);
      continue;
    }
    const tag = toTag(key);
    const vr = vrOf(tag);
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || (values.length === 1 && values[0] === '')) {
      query[tag] = { vr };
      continue;
    }
    if (vr === 'PN') {
      query[tag] = { vr, Value: values.map((item) => ({ Alphabetic: String(item) })) };
    } else if (vr === 'DS' || vr === 'IS' || vr === 'DA' || vr === 'TM' || vr === 'DT') {
      query[tag] = { vr, Value: values.map((item) => String(item)) };
    } else if (
      vr === 'UI' &&
      values.length === 1 &&
      typeof values[0] === 'string' &&
      values[0].includes('\\')
    ) {
      // A list of UIDs (PS3.4 C.2.2.2.2) given as "1.2\1.3".
      query[tag] = { vr, Value: values[0].split('\\') };
    } else {
      query[tag] = toAttribute(tag, values, vr);
    }
  }
  return query;
}

/**
 * An attribute path "ScheduledProcedureStepSequence.Modality" (or "00400100.00080060"), as QIDO-RS
 * allows (PS3.18 8.3.4.1): the key goes into the first item of the sequence, which is created when
 * missing, for sequence matching (PS3.4 C.2.2.2.6).
 */
function addNestedKey(query: DicomJsonDataset, path: string[], value: string | number | string[]): void {
  const [head, ...rest] = path;
  const sequenceTag = toTag(head ?? '');
  // Private sequences have no dictionary VR; any other attribute in a path must be a sequence.
  if (vrOf(sequenceTag) !== 'SQ' && !isPrivateTag(sequenceTag)) {
    throw new PacsError('INVALID_QUERY', `${head} is not a sequence`, { details: { tag: sequenceTag } });
  }
  const existing = query[sequenceTag];
  const item = (existing?.vr === 'SQ' ? existing.Value?.[0] : undefined) as DicomJsonDataset | undefined;
  const nextItem = item ?? {};
  const inner = rest.length === 1 ? toDicomJsonQuery({ [rest[0]!]: value }) : undefined;
  if (inner !== undefined) Object.assign(nextItem, inner);
  else addNestedKey(nextItem, rest, value);
  query[sequenceTag] = { vr: 'SQ', Value: [nextItem] };
}
