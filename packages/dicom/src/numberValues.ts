import { PacsError } from './pacsError.js';
import { formatDecimalString as formatDecimal } from './valueText.js';

/**
 * IS, DS and AS values (PS3.5 6.2). Error messages do not echo values: an age is patient data.
 */

/** Parses IS: an optionally signed integer of at most 12 characters in −2^31…2^31−1. */
export function parseIntegerString(text: string): number {
  const trimmed = text.trim();
  if (!/^[+-]?\d{1,12}$/.test(trimmed) || trimmed.length > 12) {
    throw new PacsError('INVALID_ARGUMENT', 'invalid IS value');
  }
  const value = Number(trimmed);
  if (value < -(2 ** 31) || value > 2 ** 31 - 1) {
    throw new PacsError('INVALID_ARGUMENT', 'IS value out of range');
  }
  return value;
}

export function formatIntegerString(value: number): string {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value > 2 ** 31 - 1) {
    throw new PacsError('INVALID_ARGUMENT', 'IS values are integers in −2^31…2^31−1');
  }
  return String(value);
}

/** Parses DS: a fixed or floating point decimal of at most 16 characters. */
export function parseDecimalString(text: string): number {
  const trimmed = text.trim();
  if (trimmed.length > 16 || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    throw new PacsError('INVALID_ARGUMENT', 'invalid DS value');
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) throw new PacsError('INVALID_ARGUMENT', 'DS value out of range');
  return value;
}

/** Formats a number as DS within 16 characters, keeping as many significant digits as fit. */
export function formatDecimalString(value: number): string {
  if (!Number.isFinite(value)) throw new PacsError('INVALID_ARGUMENT', 'DS values must be finite numbers');
  return formatDecimal(value);
}

/** An AS value: "nnnD", "nnnW", "nnnM" or "nnnY" (PS3.5 6.2). */
export interface DicomAge {
  value: number;
  unit: 'D' | 'W' | 'M' | 'Y';
}

export function parseAge(text: string): DicomAge {
  const match = /^(\d{3})([DWMY])$/.exec(text);
  if (match === null) throw new PacsError('INVALID_ARGUMENT', 'invalid AS value');
  return { value: Number(match[1]), unit: match[2] as DicomAge['unit'] };
}

export function formatAge(age: DicomAge): string {
  if (!Number.isInteger(age.value) || age.value < 0 || age.value > 999) {
    throw new PacsError('INVALID_ARGUMENT', 'AS values are 000–999');
  }
  return String(age.value).padStart(3, '0') + age.unit;
}
