import type { DicomJsonAttribute, DicomJsonDataset, DicomJsonValue, PersonNameValue } from './dicomJson.js';
import {
  type MatchingKey,
  normalizeDate,
  normalizeDateTime,
  normalizeTime,
  parseMatchingKey,
} from './matchingKey.js';
import { formatPersonNameGroups } from './valueText.js';

export interface MatchOptions {
  /**
   * Fuzzy semantic matching of person names (PS3.4 C.2.2.2.1, negotiated in C-FIND, `fuzzymatching`
   * in QIDO-RS): case and accents are ignored and every query component must start some component of
   * the candidate's name, in any order ("smi jo" matches "Smith^John").
   */
  fuzzyMatching?: boolean;
  /**
   * Combined date and time range matching (PS3.4 C.2.2.2.5.1): a date key and its time key (Study Date
   * and Study Time, …) form one date-time range instead of two independent ranges.
   */
  combinedDateTime?: boolean;
}

/** Keys that are never matching keys: they describe the query itself. */
const notMatchingKeys: ReadonlySet<string> = new Set([
  '00080005', // Specific Character Set
  '00080052', // Query/Retrieve Level
  '00080056', // Instance Availability
  '00080201', // Timezone Offset From UTC
  '00081190', // Retrieve URL
  '00080054', // Retrieve AE Title
]);

/** Date keys and their time keys for combined date-time matching (PS3.4 C.2.2.2.5.1). */
const dateTimePairs: ReadonlyArray<readonly [string, string]> = [
  ['00080020', '00080030'], // Study
  ['00080021', '00080031'], // Series
  ['00080022', '00080032'], // Acquisition
  ['00080023', '00080033'], // Content
  ['00100030', '00100032'], // Patient's Birth
  ['00400002', '00400003'], // Scheduled Procedure Step Start
  ['00400004', '00400005'], // Scheduled Procedure Step End
  ['00400244', '00400245'], // Performed Procedure Step Start
  ['00400250', '00400251'], // Performed Procedure Step End
];

/**
 * True if `candidate` matches every matching key of `query` (PS3.4 C.2.2.2): the one matching
 * implementation behind C-FIND, QIDO-RS and Modality Worklist. Attributes without a value are
 * universal (return keys). Throws `PacsError('INVALID_QUERY' | 'INVALID_UID')` for malformed keys.
 */
export function matchDataset(
  query: DicomJsonDataset,
  candidate: DicomJsonDataset,
  options: MatchOptions = {},
): boolean {
  const handled = new Set<string>();
  if (options.combinedDateTime === true) {
    for (const [dateTag, timeTag] of dateTimePairs) {
      const date = query[dateTag];
      const time = query[timeTag];
      if (date === undefined || time === undefined) continue;
      const dateKey = parseMatchingKey('DA', queryText(date));
      const timeKey = parseMatchingKey('TM', queryText(time));
      // Only a date value or range with a time range combine; lists, universal and empty keys match alone.
      if ((dateKey.kind !== 'single' && dateKey.kind !== 'range') || timeKey.kind !== 'range') continue;
      handled.add(dateTag);
      handled.add(timeTag);
      if (!matchCombinedDateTime(dateKey, timeKey, candidate[dateTag], candidate[timeTag])) return false;
    }
  }
  for (const [tag, attribute] of Object.entries(query)) {
    if (handled.has(tag) || notMatchingKeys.has(tag) || tag.endsWith('0000')) continue;
    if (!matchAttribute(attribute, candidate[tag], options)) return false;
  }
  return true;
}

/** True if one candidate attribute matches one query attribute (PS3.4 C.2.2.2). */
export function matchAttribute(
  query: DicomJsonAttribute,
  candidate: DicomJsonAttribute | undefined,
  options: MatchOptions = {},
): boolean {
  if (query.vr === 'SQ') return matchSequence(query, candidate, options);
  return matchKey(parseMatchingKey(query.vr, queryText(query)), candidate, options);
}

/** The raw text of a query attribute: values joined by "\" (PN: its component groups). */
export function queryText(attribute: DicomJsonAttribute): string {
  return (attribute.Value ?? []).map((value) => valueText(value) ?? '').join('\\');
}

function valueText(value: DicomJsonValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if ('Alphabetic' in value || 'Ideographic' in value || 'Phonetic' in value) {
    return formatPersonNameGroups(value as PersonNameValue);
  }
  return undefined;
}

function candidateTexts(attribute: DicomJsonAttribute | undefined): string[] {
  return (attribute?.Value ?? [])
    .map((value) => valueText(value))
    .filter((text): text is string => text !== undefined && text.trim() !== '');
}

/** Sequence matching (PS3.4 C.2.2.2.6): the query item's keys must all match one candidate item. */
function matchSequence(
  query: DicomJsonAttribute,
  candidate: DicomJsonAttribute | undefined,
  options: MatchOptions,
): boolean {
  const item = query.Value?.[0];
  if (item === null || item === undefined || typeof item !== 'object') return true;
  const queryItem = item as DicomJsonDataset;
  const keys = Object.entries(queryItem).filter(([tag]) => !notMatchingKeys.has(tag));
  // An item of universal keys only is universal matching of the sequence.
  const allUniversal = keys.every(([, attribute]) =>
    attribute.vr === 'SQ'
      ? (attribute.Value ?? []).length === 0
      : queryText(attribute).trim() === '' || queryText(attribute).trim() === '*',
  );
  if (allUniversal) return true;
  const items = (candidate?.Value ?? []).filter(
    (value): value is DicomJsonDataset => value !== null && typeof value === 'object',
  );
  return items.some((candidateItem) => matchDataset(queryItem, candidateItem, options));
}

function matchKey(
  key: MatchingKey,
  candidate: DicomJsonAttribute | undefined,
  options: MatchOptions,
): boolean {
  switch (key.kind) {
    case 'universal':
      return true;
    case 'empty':
      return candidateTexts(candidate).length === 0;
    case 'sequence':
      return true;
    case 'single':
      return candidateTexts(candidate).some((text) => matchSingle(key, text, options));
    case 'wildcard': {
      const caseInsensitive = key.caseInsensitive || options.fuzzyMatching === true;
      if (key.vr !== 'PN') {
        const expression = wildcardRegExp(key.pattern, caseInsensitive);
        return candidateTexts(candidate).some((text) => expression.test(text.trim()));
      }
      return candidateTexts(candidate).some((text) =>
        matchPersonName(key.pattern, text, (query, value) =>
          wildcardRegExp(fold(query, options), caseInsensitive).test(fold(value, options)),
        ),
      );
    }
    case 'range':
      return candidateTexts(candidate).some((text) => inRange(key, text));
    case 'list':
      return key.values.some((value) => matchKey(parseMatchingKey(key.vr, value), candidate, options));
    default:
      return key satisfies never;
  }
}

function fold(text: string, options: MatchOptions): string {
  return options.fuzzyMatching === true ? text.normalize('NFD').replace(/\p{M}/gu, '') : text;
}

function matchSingle(
  key: Extract<MatchingKey, { kind: 'single' }>,
  text: string,
  options: MatchOptions,
): boolean {
  switch (key.vr) {
    case 'DS':
    case 'IS':
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD':
    case 'SV':
    case 'UV':
      return Number(text) === Number(key.value);
    case 'DA':
      return safely(() => normalizeDate(text.trim())) === key.value;
    case 'PN':
      return matchPersonName(key.value, text, (query, value) =>
        options.fuzzyMatching === true
          ? fuzzyGroupMatch(query, value)
          : query.toLowerCase() === value.toLowerCase(),
      );
    default:
      return key.caseInsensitive
        ? text.trim().toLowerCase() === key.value.toLowerCase()
        : text.trim() === key.value;
  }
}

/** PN matching group by group: each non-empty query group must match the candidate's same group. */
function matchPersonName(
  query: string,
  candidate: string,
  matchGroup: (queryGroup: string, candidateGroup: string) => boolean,
): boolean {
  const queryGroups = query.split('=');
  const candidateGroups = candidate.split('=');
  let compared = false;
  for (let index = 0; index < queryGroups.length; index++) {
    const queryGroup = queryGroups[index]!.trim();
    if (queryGroup === '') continue;
    compared = true;
    const candidateGroup = (candidateGroups[index] ?? '').trim().replace(/\^+$/, '');
    if (!matchGroup(queryGroup.replace(/\^+$/, ''), candidateGroup)) return false;
  }
  return compared;
}

function fuzzyGroupMatch(query: string, candidate: string): boolean {
  const words = (text: string): string[] =>
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .split(/[\^\s,]+/)
      .filter((word) => word !== '');
  const candidateWords = words(candidate);
  return words(query.replace(/[*?]/g, '')).every((word) =>
    candidateWords.some((part) => part.startsWith(word)),
  );
}

/** A wildcard pattern as an anchored expression: `*` any run, `?` one character (PS3.4 C.2.2.2.4). */
export function wildcardRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'isu' : 'su');
}

function inRange(key: Extract<MatchingKey, { kind: 'range' }>, text: string): boolean {
  const value = safely(() =>
    key.vr === 'DA'
      ? normalizeDate(text.trim())
      : key.vr === 'TM'
        ? normalizeTime(text.trim())
        : normalizeDateTime(text.trim()),
  );
  if (value === undefined) return false;
  return (key.lower === undefined || value >= key.lower) && (key.upper === undefined || value <= key.upper);
}

function matchCombinedDateTime(
  dateKey: MatchingKey,
  timeKey: MatchingKey,
  candidateDate: DicomJsonAttribute | undefined,
  candidateTime: DicomJsonAttribute | undefined,
): boolean {
  const bounds = (key: MatchingKey, lowest: string, highest: string): [string, string] => {
    if (key.kind === 'single') return [key.value, key.value];
    if (key.kind === 'range') return [key.lower ?? lowest, key.upper ?? highest];
    return [lowest, highest];
  };
  const [dateLower, dateUpper] = bounds(dateKey, '00000101', '99991231');
  const [timeLower, timeUpper] = bounds(timeKey, '000000.000000', '235959.999999');
  const lower = dateKey.kind === 'range' && dateKey.lower === undefined ? '' : dateLower + timeLower;
  const upper = dateKey.kind === 'range' && dateKey.upper === undefined ? '\uffff' : dateUpper + timeUpper;
  const times = candidateTexts(candidateTime);
  return candidateTexts(candidateDate).some((dateText) => {
    const date = safely(() => normalizeDate(dateText.trim()));
    if (date === undefined) return false;
    const candidates =
      times.length === 0 ? ['000000.000000'] : times.map((time) => safely(() => normalizeTime(time.trim())));
    return candidates.some((time) => time !== undefined && date + time >= lower && date + time <= upper);
  });
}

function safely<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}
