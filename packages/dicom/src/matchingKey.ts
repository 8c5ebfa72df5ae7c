import { parseDate, parseDateTime, parseTime } from './dateTimeValues.js';
import type { DicomJsonDataset, ValueRepresentation } from './dicomJson.js';
import { PacsError } from './pacsError.js';
import { isValidUid } from './uid.js';

/**
 * One matching key of a query, parsed once (PS3.4 C.2.2.2), so that a server can push its exact,
 * prefix and range parts down to its index and still run `matchDataset` last.
 *
 * Range bounds are normalised so that plain string comparison orders them: DA "YYYYMMDD", TM
 * "HHMMSS.FFFFFF", DT "YYYYMMDDHHMMSS.FFFFFF" (in UTC when the value has an offset). A lower bound is
 * padded with the smallest value, an upper bound with the greatest, so "-1200" includes 12:00:59.
 */
export type MatchingKey =
  /** Zero-length key (or "*"): every entity matches (C.2.2.2.3). */
  | { kind: 'universal'; vr: ValueRepresentation }
  /** `""`: only entities whose value is empty or absent match (QIDO-RS empty value matching). */
  | { kind: 'empty'; vr: ValueRepresentation }
  /** Single value matching (C.2.2.2.1). `value` is trimmed; numbers and dates are normalised. */
  | { kind: 'single'; vr: ValueRepresentation; value: string; caseInsensitive: boolean }
  /** Wildcard matching (C.2.2.2.4): `*` any run, `?` one character. `prefix` is the literal start. */
  | { kind: 'wildcard'; vr: ValueRepresentation; pattern: string; prefix: string; caseInsensitive: boolean }
  /** Range matching (C.2.2.2.5), normalised bounds; an open end is undefined. */
  | { kind: 'range'; vr: 'DA' | 'TM' | 'DT'; lower?: string; upper?: string }
  /** List of UID matching (C.2.2.2.2), or a list of values for other VRs (any one may match). */
  | { kind: 'list'; vr: ValueRepresentation; values: string[] }
  /** Sequence matching (C.2.2.2.6): an item's keys must all match one item of the candidate. */
  | { kind: 'sequence'; vr: 'SQ'; item: DicomJsonDataset | undefined };

/** VRs where "*" and "?" are ordinary characters, never wildcards (C.2.2.2.4). */
const noWildcardVrs: ReadonlySet<string> = new Set([
  'DA',
  'TM',
  'DT',
  'UI',
  'SL',
  'SS',
  'UL',
  'US',
  'FL',
  'FD',
  'DS',
  'IS',
  'SV',
  'UV',
  'AT',
  'OB',
  'OW',
  'UN',
  'SQ',
]);
const numericVrs: ReadonlySet<string> = new Set(['SL', 'SS', 'UL', 'US', 'FL', 'FD', 'DS', 'IS', 'SV', 'UV']);
const binaryVrs: ReadonlySet<string> = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);

function invalidQuery(message: string, vr: string): PacsError {
  return new PacsError('INVALID_QUERY', `invalid matching key: ${message}`, { details: { vr } });
}

const pad = (text: string, filler: string, width: number): string =>
  text + filler.repeat(Math.max(0, width - text.length));

/** DA → "YYYYMMDD". */
export function normalizeDate(text: string): string {
  parseDate(text);
  return text;
}

/** TM → "HHMMSS.FFFFFF", missing parts filled with the lowest or the highest value of the bound. */
export function normalizeTime(text: string, bound: 'lower' | 'upper' = 'lower'): string {
  const time = parseTime(text);
  const lower = bound === 'lower';
  const two = (value: number | undefined, high: number): string =>
    String(value ?? (lower ? 0 : high)).padStart(2, '0');
  return `${two(time.hour, 23)}${two(time.minute, 59)}${two(time.second, 59)}.${fraction(time.second, time.fraction, lower)}`;
}

/** Six fraction digits: a lower bound pads with 0; an upper bound covers the rest of its precision. */
function fraction(second: number | undefined, digits: string | undefined, lower: boolean): string {
  if (lower) return pad(digits ?? '', '0', 6);
  if (second === undefined || digits === undefined) return '999999';
  return pad(digits, '9', 6);
}

/** DT → "YYYYMMDDHHMMSS.FFFFFF", converted to UTC when the value carries an offset. */
export function normalizeDateTime(text: string, bound: 'lower' | 'upper' = 'lower'): string {
  const value = parseDateTime(text);
  const lower = bound === 'lower';
  const year = String(value.year).padStart(4, '0');
  const month = value.month ?? (lower ? 1 : 12);
  const day = value.day ?? (lower ? 1 : lastDayOfMonth(value.year, month));
  const hour = value.hour ?? (lower ? 0 : 23);
  const minute = value.minute ?? (lower ? 0 : 59);
  const second = value.second ?? (lower ? 0 : 59);
  const fractionDigits = fraction(value.second, value.fraction, lower);
  let when = { year: Number(year), month, day, hour, minute, second };
  if (value.offset !== undefined) {
    const sign = value.offset[0] === '-' ? -1 : 1;
    const minutes = sign * (Number(value.offset.slice(1, 3)) * 60 + Number(value.offset.slice(3, 5)));
    const date = new Date(0);
    date.setUTCFullYear(when.year, when.month - 1, when.day);
    date.setUTCHours(when.hour, when.minute - minutes, Math.min(second, 59), 0);
    when = {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second,
    };
  }
  const two = (number: number): string => String(number).padStart(2, '0');
  return `${String(when.year).padStart(4, '0')}${two(when.month)}${two(when.day)}${two(when.hour)}${two(when.minute)}${two(when.second)}.${fractionDigits}`;
}

function lastDayOfMonth(year: number, month: number): number {
  // Not Date.UTC: it maps years 0–99 to 1900–1999.
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function normalizeBound(vr: 'DA' | 'TM' | 'DT', text: string, bound: 'lower' | 'upper'): string {
  if (vr === 'DA') return normalizeDate(text);
  if (vr === 'TM') return normalizeTime(text, bound);
  return normalizeDateTime(text, bound);
}

/**
 * Parses the raw text of a matching key for an attribute of the given VR (PS3.4 C.2.2.2,
 * PS3.18 8.3.4). Throws `PacsError('INVALID_QUERY')` for a malformed value (a bad date or range,
 * a wildcard in a UID, a non-number for a numeric VR) and `PacsError('INVALID_UID')` for a bad UID.
 */
export function parseMatchingKey(vr: ValueRepresentation, rawValue: string): MatchingKey {
  if (vr === 'SQ') return { kind: 'sequence', vr, item: undefined };
  const value = vr === 'PN' ? rawValue.replace(/^[ ]+|[ ]+$/g, '') : rawValue.trim();
  if (value === '' || value === '*') return { kind: 'universal', vr };
  if (value === '""') return { kind: 'empty', vr };
  if (binaryVrs.has(vr)) throw invalidQuery('binary attributes cannot be matched', vr);
  // UID lists use "\\" (C-FIND, C.2.2.2.2) or "," (QIDO-RS, PS3.18 8.3.4.1); commas never occur in UIDs.
  if (value.includes('\\') || (vr === 'UI' && value.includes(','))) {
    const values = value.split(vr === 'UI' ? /[\\,]/ : '\\').map((part) => part.trim());
    if (vr === 'UI') {
      for (const uid of values) {
        if (!isValidUid(uid))
          throw new PacsError('INVALID_UID', 'invalid UID in a list of UIDs', { details: { vr } });
      }
    }
    // Each value must itself be a valid key (a date list is dates, not ranges of text).
    for (const part of values) if (part !== '') parseMatchingKey(vr, part);
    return { kind: 'list', vr, values: values.filter((part) => part !== '') };
  }
  if (vr === 'DA' || vr === 'TM' || vr === 'DT') {
    try {
      const isRange = vr === 'DT' ? isDateTimeRange(value) : value.includes('-');
      if (isRange) {
        const [lowerText, upperText] = vr === 'DT' ? splitDateTimeRange(value) : splitSimpleRange(vr, value);
        const key: MatchingKey = { kind: 'range', vr };
        if (lowerText !== '') key.lower = normalizeBound(vr, lowerText, 'lower');
        if (upperText !== '') key.upper = normalizeBound(vr, upperText, 'upper');
        return key;
      }
      if (vr === 'DA') return { kind: 'single', vr, value: normalizeDate(value), caseInsensitive: false };
      // A single TM/DT matches the whole interval its precision covers ("10" is 10:00:00–10:59:59).
      return {
        kind: 'range',
        vr,
        lower: normalizeBound(vr, value, 'lower'),
        upper: normalizeBound(vr, value, 'upper'),
      };
    } catch (error) {
      if (error instanceof PacsError && error.code === 'INVALID_QUERY') throw error;
      throw invalidQuery(`not a valid ${vr} value or range`, vr);
    }
  }
  if (vr === 'UI') {
    if (!isValidUid(value))
      throw new PacsError('INVALID_UID', 'invalid UID in a matching key', { details: { vr } });
    return { kind: 'single', vr, value, caseInsensitive: false };
  }
  if (numericVrs.has(vr)) {
    const number = Number(value);
    if (!Number.isFinite(number)) throw invalidQuery('a numeric attribute needs a number', vr);
    return { kind: 'single', vr, value: String(number), caseInsensitive: false };
  }
  // C.2.2.2.1: PN may match insensitive to case; PacsKit does, as most archives (Orthanc, dcm4chee) do.
  const caseInsensitive = vr === 'PN';
  if (!noWildcardVrs.has(vr) && /[*?]/.test(value)) {
    const prefix = value.slice(0, value.search(/[*?]/));
    return { kind: 'wildcard', vr, pattern: value, prefix, caseInsensitive };
  }
  return { kind: 'single', vr, value, caseInsensitive };
}

function isDateTimeRange(value: string): boolean {
  if (!value.includes('-')) return false;
  try {
    parseDateTime(value); // "20240101120000-0500" is one value with a negative offset
    return false;
  } catch {
    return true;
  }
}

function splitSimpleRange(vr: 'DA' | 'TM', value: string): [string, string] {
  const parts = value.split('-');
  if (parts.length !== 2 || value === '-') throw invalidQuery(`not a valid ${vr} range`, vr);
  return [parts[0]!, parts[1]!];
}

/** "-" also starts a negative UTC offset: the first hyphen that leaves two valid (or open) ends wins. */
function splitDateTimeRange(value: string): [string, string] {
  for (let index = value.indexOf('-'); index !== -1; index = value.indexOf('-', index + 1)) {
    const lower = value.slice(0, index);
    const upper = value.slice(index + 1);
    if (lower === '' && upper === '') break;
    if ((lower === '' || safeDateTime(lower)) && (upper === '' || safeDateTime(upper))) return [lower, upper];
  }
  throw invalidQuery('not a valid DT range', 'DT');
}

function safeDateTime(text: string): boolean {
  try {
    parseDateTime(text);
    return true;
  } catch {
    return false;
  }
}
