import type {
  DicomJsonAttribute,
  DicomJsonDataset,
  DicomJsonValue,
  ValueRepresentation,
} from './dicomJson.js';
import { toTag, vrOf } from './dictionary.js';
import { PacsError } from './pacsError.js';
import { parsePersonNameGroups } from './valueText.js';

/**
 * Reading and writing attributes of a DICOM JSON data set (PS3.18 F) by keyword or tag.
 */

/** The attribute for a keyword ("PatientID") or tag ("00100020", "(0010,0020)"), or undefined. */
export function getAttribute(
  dataset: DicomJsonDataset,
  keywordOrTag: string,
): DicomJsonAttribute | undefined {
  return dataset[toTag(keywordOrTag)];
}

function valueToString(value: DicomJsonValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if ('Alphabetic' in value || 'Ideographic' in value || 'Phonetic' in value) {
    const name = value as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
    return name.Alphabetic ?? name.Ideographic ?? name.Phonetic;
  }
  return undefined;
}

/** The first value as a string (PN → its Alphabetic group, numbers → decimal text), or undefined. */
export function getString(dataset: DicomJsonDataset, keywordOrTag: string): string | undefined {
  return valueToString(getAttribute(dataset, keywordOrTag)?.Value?.[0]);
}

/** Every value as a string (empty values as ""). */
export function getStrings(dataset: DicomJsonDataset, keywordOrTag: string): string[] {
  return (getAttribute(dataset, keywordOrTag)?.Value ?? []).map((value) => valueToString(value) ?? '');
}

/** The first value as a number (DS/IS text is parsed), or undefined when absent or not numeric. */
export function getNumber(dataset: DicomJsonDataset, keywordOrTag: string): number | undefined {
  const value = getAttribute(dataset, keywordOrTag)?.Value?.[0];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

/** The items of a sequence attribute ([] when absent). */
export function getItems(dataset: DicomJsonDataset, keywordOrTag: string): DicomJsonDataset[] {
  return (getAttribute(dataset, keywordOrTag)?.Value ?? []).filter(
    (value): value is DicomJsonDataset =>
      value !== null && typeof value === 'object' && !('Alphabetic' in value),
  );
}

export type AttributeInput =
  | string
  | number
  | DicomJsonDataset
  | Array<string | number | DicomJsonDataset | null>
  | null;

/**
 * Sets an attribute, returning a new data set (the input is not changed). The VR comes from the
 * dictionary unless given (required for private tags). Strings become PN component groups for PN and
 * numbers for DS/IS; `null` or `[]` gives an empty attribute.
 */
export function setAttribute(
  dataset: DicomJsonDataset,
  keywordOrTag: string,
  value: AttributeInput,
  vr?: ValueRepresentation,
): DicomJsonDataset {
  const tag = toTag(keywordOrTag);
  return { ...dataset, [tag]: toAttribute(tag, value, vr ?? vrOf(tag)) };
}

export function toAttribute(tag: string, value: AttributeInput, vr: ValueRepresentation): DicomJsonAttribute {
  const values = value === null ? [] : Array.isArray(value) ? value : [value];
  if (values.length === 0) return { vr };
  return { vr, Value: values.map((item) => toJsonValue(tag, item, vr)) };
}

function toJsonValue(
  tag: string,
  value: string | number | DicomJsonDataset | null,
  vr: ValueRepresentation,
): DicomJsonValue {
  if (value === null) return null;
  if (vr === 'SQ') {
    if (typeof value !== 'object')
      throw new PacsError('INVALID_ARGUMENT', `items of ${tag} must be data sets`);
    return value;
  }
  if (typeof value === 'object')
    throw new PacsError('INVALID_ARGUMENT', `value of ${tag} must be a string or number`);
  if (vr === 'PN') return parsePersonNameGroups(String(value));
  if (
    vr === 'DS' ||
    vr === 'IS' ||
    vr === 'US' ||
    vr === 'SS' ||
    vr === 'UL' ||
    vr === 'SL' ||
    vr === 'FL' ||
    vr === 'FD'
  ) {
    const number = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(number)) throw new PacsError('INVALID_ARGUMENT', `value of ${tag} must be a number`);
    return number;
  }
  return String(value);
}
