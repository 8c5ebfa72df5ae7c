import { decodeIso2022, encodeIso2022 } from './iso2022.js';
import { textDecoderFor } from './textDecoders.js';

/**
 * Specific Character Set (0008,0005) decoding, PS3.5 6.1 and Annexes H–K.
 */

/** VRs whose values use the Specific Character Set; all others use the default repertoire (PS3.5 6.1.2.3). */
export const characterSetValueRepresentations: ReadonlySet<string> = new Set([
  'SH',
  'LO',
  'ST',
  'LT',
  'PN',
  'UC',
  'UT',
]);

/** Single-byte and multi-byte character sets without code extensions, mapped to WHATWG encoding labels. */
const singleTermEncodings: Record<string, string> = {
  '': 'windows-1252',
  ISO_IR_6: 'windows-1252',
  ISO_IR_100: 'iso-8859-1',
  ISO_IR_101: 'iso-8859-2',
  ISO_IR_109: 'iso-8859-3',
  ISO_IR_110: 'iso-8859-4',
  ISO_IR_144: 'iso-8859-5',
  ISO_IR_127: 'iso-8859-6',
  ISO_IR_126: 'iso-8859-7',
  ISO_IR_138: 'iso-8859-8',
  ISO_IR_148: 'iso-8859-9',
  ISO_IR_203: 'iso-8859-15',
  ISO_IR_166: 'windows-874',
  ISO_IR_13: 'shift_jis',
  ISO_IR_192: 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** Normalises a defined term ("ISO 2022 IR 100", "ISO_IR 100") to "ISO_IR_100" / "ISO_2022_IR_100". */
export function normalizeCharacterSetTerm(term: string): string {
  return term
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * Decodes the bytes of a text value. `specificCharacterSet` holds the values of (0008,0005), or is empty
 * for the default repertoire. Unknown terms fall back to the default repertoire rather than failing,
 * as PS3.5 6.1.2.3 lets a receiver do.
 */
export function decodeText(bytes: Uint8Array, specificCharacterSet: readonly string[]): string {
  const terms = specificCharacterSet.map(normalizeCharacterSetTerm);
  const first = terms[0] ?? '';
  if (terms.length <= 1 && !first.startsWith('ISO_2022')) {
    return textDecoderFor(singleTermEncodings[first] ?? 'windows-1252').decode(bytes);
  }
  return decodeIso2022(bytes, terms);
}

// ── Encoding (for the Part 10 writer) ──────────────────────────────────────────────────────────────

const singleByteLabels: ReadonlySet<string> = new Set([
  'windows-1252',
  'iso-8859-1',
  'iso-8859-2',
  'iso-8859-3',
  'iso-8859-4',
  'iso-8859-5',
  'iso-8859-6',
  'iso-8859-7',
  'iso-8859-8',
  'iso-8859-9',
  'iso-8859-15',
  'windows-874',
]);
const reverseTables = new Map<string, Map<string, number>>();

function reverseTableFor(label: string): Map<string, number> {
  let table = reverseTables.get(label);
  if (table === undefined) {
    table = new Map();
    const decoder = textDecoderFor(label);
    for (let byte = 0; byte < 256; byte++) {
      const char = decoder.decode(new Uint8Array([byte]));
      if (char !== '\ufffd' && !table.has(char)) table.set(char, byte);
    }
    reverseTables.set(label, table);
  }
  return table;
}

/**
 * Encodes text in a Specific Character Set, or returns undefined when some character cannot be
 * represented in it (the writer then falls back to UTF-8, ISO_IR 192).
 */
export function encodeText(text: string, specificCharacterSet: readonly string[]): Uint8Array | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the default repertoire is 7-bit ASCII.
  if (/^[\x00-\x7f]*$/.test(text)) {
    const bytes = new Uint8Array(text.length);
    for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index);
    return bytes;
  }
  const terms = specificCharacterSet.map(normalizeCharacterSetTerm);
  const first = terms[0] ?? '';
  if (terms.length > 1 || first.startsWith('ISO_2022')) return encodeIso2022(text, terms);
  const label = singleTermEncodings[first] ?? 'windows-1252';
  if (label === 'utf-8') return new TextEncoder().encode(text);
  if (label === 'gb18030' || label === 'gbk') return encodeChineseDoubleByte(text, label);
  if (!singleByteLabels.has(label)) return undefined;
  const table = reverseTableFor(label);
  const out: number[] = [];
  for (const char of text) {
    const byte = table.get(char);
    if (byte === undefined) return undefined;
    out.push(byte);
  }
  return new Uint8Array(out);
}

const chineseTables = new Map<string, Map<string, number>>();

/**
 * GBK / GB18030 for the writer: ASCII and the two-byte area (lead 0x81–0xFE, trail 0x40–0xFE), which
 * holds the GBK repertoire, found by decoding every pair once. TextEncoder only writes UTF-8. Characters
 * that GB18030 encodes in four bytes are not in the table: such text makes the writer fall back to UTF-8.
 */
function encodeChineseDoubleByte(text: string, label: 'gb18030' | 'gbk'): Uint8Array | undefined {
  let table = chineseTables.get(label);
  if (table === undefined) {
    table = new Map();
    const decoder = textDecoderFor(label);
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const char = decoder.decode(new Uint8Array([lead, trail]));
        if (char.length === 1 && char !== '\ufffd' && !table.has(char)) table.set(char, (lead << 8) | trail);
      }
    }
    chineseTables.set(label, table);
  }
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const pair = table.get(char);
    if (pair === undefined) return undefined;
    out.push(pair >> 8, pair & 0xff);
  }
  return new Uint8Array(out);
}
