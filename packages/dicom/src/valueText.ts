import type { DicomJsonValue, PersonNameValue, ValueRepresentation } from './dicomJson.js';

/**
 * Text values ⇄ DICOM JSON values (PS3.18 F.2.3): the VR decides splitting on "\", padding, and
 * whether a value is a number (DS, IS), a Person Name (PN) or a string.
 */

/** VRs that hold exactly one value: backslash is an ordinary character there (PS3.5 6.2). */
const singleValued: ReadonlySet<string> = new Set(['LT', 'ST', 'UT', 'UR']);
/** VRs whose leading spaces are significant (PS3.5 6.2: LT, ST, UT keep them). */
const keepLeadingSpaces: ReadonlySet<string> = new Set(['LT', 'ST', 'UT']);

/** Splits and trims decoded text into DICOM JSON values; an all-empty value list becomes []. */
export function parseAttributeText(vr: ValueRepresentation, text: string): DicomJsonValue[] {
  const parts = singleValued.has(vr) ? [text] : text.split('\\');
  const values = parts.map((part) => parseOneValue(vr, part));
  if (values.every((value) => value === null)) return [];
  return values;
}

function trimValue(vr: ValueRepresentation, text: string): string {
  // Padding is a trailing space (or NUL for UI); writers also leave NULs in other VRs.
  const trailing = text.replace(/[\0 ]+$/, '');
  return keepLeadingSpaces.has(vr) ? trailing : trailing.replace(/^[ ]+/, '');
}

function parseOneValue(vr: ValueRepresentation, raw: string): DicomJsonValue {
  const text = trimValue(vr, raw);
  if (text === '') return null;
  switch (vr) {
    case 'DS':
    case 'IS': {
      // DICOM JSON carries DS and IS as JSON numbers; a malformed one is kept as text, not lost.
      const number = Number(text);
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) && Number.isFinite(number) ? number : text;
    }
    case 'PN':
      // "^^^^" (all components empty) is an empty name, as DCMTK reads it too.
      return /^[\^=\s]*$/.test(text) ? null : parsePersonNameGroups(text);
    default:
      return text;
  }
}

/** "Yamada^Tarou=山田^太郎=やまだ^たろう" → the three component groups (PS3.5 6.2.1). */
export function parsePersonNameGroups(text: string): PersonNameValue {
  const [alphabetic, ideographic, phonetic] = text.split('=');
  const name: PersonNameValue = {};
  if (alphabetic !== undefined && alphabetic !== '') name.Alphabetic = alphabetic;
  if (ideographic !== undefined && ideographic !== '') name.Ideographic = ideographic;
  if (phonetic !== undefined && phonetic !== '') name.Phonetic = phonetic;
  return name;
}

/** The text of a PN value: groups joined by "=", trailing empty groups dropped. */
export function formatPersonNameGroups(name: PersonNameValue): string {
  return [name.Alphabetic ?? '', name.Ideographic ?? '', name.Phonetic ?? ''].join('=').replace(/=+$/, '');
}

/**
 * Formats a DS value within 16 characters (PS3.5 6.2): the shortest round-tripping decimal when it
 * fits, else fewer significant digits, in exponent form if that is shorter.
 */
export function formatDecimalString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError('DS values must be finite');
  if (Object.is(value, -0)) return '-0'; // keeps the sign that "-0.0" had
  const plain = String(value);
  if (plain.length <= 16) return plain;
  for (let precision = 16; precision >= 1; precision--) {
    const rounded = Number(value.toPrecision(precision));
    const fixed = rounded.toString();
    if (Number.isFinite(rounded) && fixed.length <= 16) return fixed;
    const exponential = value.toExponential(Math.max(0, precision - 1)).replace('e+', 'e');
    if (Number.isFinite(Number(exponential)) && exponential.length <= 16) return exponential;
  }
  // Rounding overflowed to Infinity (values near Number.MAX_VALUE): truncate the mantissa instead.
  const [mantissa = '', exponent = ''] = value.toExponential(15).split('e');
  const exponentText = `e${exponent.replace('+', '')}`;
  return mantissa.slice(0, 16 - exponentText.length).replace(/\.$/, '') + exponentText;
}

/** Joins DICOM JSON values into the text of an attribute (before character set encoding and padding). */
export function formatAttributeText(vr: ValueRepresentation, values: readonly DicomJsonValue[]): string {
  return values
    .map((value) => {
      if (value === null || value === undefined) return '';
      if (typeof value === 'number') {
        if (vr === 'DS') return formatDecimalString(value);
        if (vr === 'IS') return String(Math.trunc(value));
        return String(value);
      }
      if (typeof value === 'string') return value;
      if (vr === 'PN') return formatPersonNameGroups(value as PersonNameValue);
      return '';
    })
    .join('\\');
}
