import { PacsError } from './pacsError.js';

/**
 * DA, TM and DT values (PS3.5 6.2) and their ranges (PS3.4 C.2.2.2.5).
 */

/** A DA value: YYYYMMDD. */
export interface DicomDate {
  year: number;
  month: number;
  day: number;
}

/** A TM value: HH[MM[SS[.F{1,6}]]]. The fraction keeps its digits ("5" and "500000" differ in text). */
export interface DicomTime {
  hour: number;
  minute?: number;
  second?: number;
  fraction?: string;
}

/** A DT value: YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&ZZXX]. */
export interface DicomDateTime {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  fraction?: string;
  /** UTC offset as written, "+0100" / "-0500". */
  offset?: string;
}

/** A range; an open end is undefined ("20240101-" has no end). */
export interface DicomRange<T> {
  start?: T;
  end?: T;
}

// The value itself is not echoed: dates and times may be patient data (a birth date), and messages
// end up in logs (pacsError.ts).
function invalid(vr: string): PacsError {
  return new PacsError('INVALID_ARGUMENT', `invalid ${vr} value`, { details: { vr } });
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** Parses DA "YYYYMMDD" (a real calendar date). */
export function parseDate(text: string): DicomDate {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (match === null) throw invalid('DA');
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw invalid('DA');
  return { year, month, day };
}

export function formatDate(date: DicomDate): string {
  return pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2);
}

const timePattern = /^(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,6}))?)?)?$/;

/** Parses TM "HH[MM[SS[.F{1,6}]]]"; seconds may be 60 (leap second, PS3.5 6.2). */
export function parseTime(text: string): DicomTime {
  const match = timePattern.exec(text);
  if (match === null) throw invalid('TM');
  const time: DicomTime = { hour: Number(match[1]) };
  if (time.hour > 23) throw invalid('TM');
  if (match[2] !== undefined) {
    time.minute = Number(match[2]);
    if (time.minute > 59) throw invalid('TM');
  }
  if (match[3] !== undefined) {
    time.second = Number(match[3]);
    if (time.second > 60) throw invalid('TM');
  }
  if (match[4] !== undefined) time.fraction = match[4];
  return time;
}

export function formatTime(time: DicomTime): string {
  let text = pad(time.hour, 2);
  if (time.minute === undefined) return text;
  text += pad(time.minute, 2);
  if (time.second === undefined) return text;
  text += pad(time.second, 2);
  return time.fraction === undefined ? text : `${text}.${time.fraction}`;
}

const dateTimePattern =
  /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,6}))?)?)?)?)?)?([+-]\d{4})?$/;

/** Parses DT; the offset must be within -1200…+1400 with minutes below 60 (PS3.5 6.2). */
export function parseDateTime(text: string): DicomDateTime {
  const match = dateTimePattern.exec(text);
  if (match === null) throw invalid('DT');
  const value: DicomDateTime = { year: Number(match[1]) };
  if (match[2] !== undefined) {
    value.month = Number(match[2]);
    if (value.month < 1 || value.month > 12) throw invalid('DT');
  }
  if (match[3] !== undefined) {
    value.day = Number(match[3]);
    if (value.day < 1 || value.day > daysInMonth(value.year, value.month!)) throw invalid('DT');
  }
  if (match[4] !== undefined) {
    value.hour = Number(match[4]);
    if (value.hour > 23) throw invalid('DT');
  }
  if (match[5] !== undefined) {
    value.minute = Number(match[5]);
    if (value.minute > 59) throw invalid('DT');
  }
  if (match[6] !== undefined) {
    value.second = Number(match[6]);
    if (value.second > 60) throw invalid('DT');
  }
  if (match[7] !== undefined) value.fraction = match[7];
  if (match[8] !== undefined) {
    const hours = Number(match[8].slice(1, 3));
    const minutes = Number(match[8].slice(3, 5));
    const signed = (match[8][0] === '-' ? -1 : 1) * (hours * 60 + minutes);
    if (minutes > 59 || signed < -12 * 60 || signed > 14 * 60) throw invalid('DT');
    value.offset = match[8];
  }
  return value;
}

export function formatDateTime(value: DicomDateTime): string {
  let text = pad(value.year, 4);
  const parts: Array<[number | undefined, number]> = [
    [value.month, 2],
    [value.day, 2],
    [value.hour, 2],
    [value.minute, 2],
    [value.second, 2],
  ];
  for (const [part, width] of parts) {
    if (part === undefined) break;
    text += pad(part, width);
  }
  if (value.second !== undefined && value.fraction !== undefined) text += `.${value.fraction}`;
  return value.offset === undefined ? text : text + value.offset;
}

function parseRange<T>(vr: string, text: string, parse: (part: string) => T): DicomRange<T> {
  const parts = text.split('-');
  if (parts.length !== 2 || (parts[0] === '' && parts[1] === '')) throw invalid(vr);
  const range: DicomRange<T> = {};
  if (parts[0] !== '') range.start = parse(parts[0]!);
  if (parts[1] !== '') range.end = parse(parts[1]!);
  return range;
}

/** Parses a DA range "A-B", "A-" or "-B" (PS3.4 C.2.2.2.5). */
export function parseDateRange(text: string): DicomRange<DicomDate> {
  return parseRange('DA', text, parseDate);
}

/** Parses a TM range "A-B", "A-" or "-B" (PS3.4 C.2.2.2.5). */
export function parseTimeRange(text: string): DicomRange<DicomTime> {
  return parseRange('TM', text, parseTime);
}

/**
 * Parses a DT range. "-" also starts a negative UTC offset, so each hyphen is tried as the range
 * separator and the one that leaves two valid (or empty) ends wins; the first such split is taken.
 */
export function parseDateTimeRange(text: string): DicomRange<DicomDateTime> {
  for (let index = text.indexOf('-'); index !== -1; index = text.indexOf('-', index + 1)) {
    const left = text.slice(0, index);
    const right = text.slice(index + 1);
    if (left === '' && right === '') break;
    try {
      const range: DicomRange<DicomDateTime> = {};
      if (left !== '') range.start = parseDateTime(left);
      if (right !== '') range.end = parseDateTime(right);
      return range;
    } catch {
      // try the next hyphen
    }
  }
  throw invalid('DT');
}

export function formatRange<T>(range: DicomRange<T>, format: (value: T) => string): string {
  return `${range.start === undefined ? '' : format(range.start)}-${range.end === undefined ? '' : format(range.end)}`;
}
