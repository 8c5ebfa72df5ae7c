import type { ValueRepresentation } from './dicomJson.js';
import { dictionaryData } from './dictionaryData.gen.js';
import { PacsError } from './pacsError.js';

/**
 * The DICOM data dictionary (PS3.6), generated from dcmjs's dictionary (scripts/generateDictionary.mjs),
 * indexed both ways. Tags are 8-digit upper-case hex strings as in DICOM JSON ("0020000D").
 */

interface DictionaryEntry {
  keyword: string;
  /** The VR as the dictionary gives it; "OB or OW" style choices are resolved by `vrOf`. */
  vr: string;
}

let byKeyword: Map<string, string> | undefined;
let byTag: Map<string, DictionaryEntry> | undefined;

/** Parsed on first use, so importing the package costs nothing. */
function load(): { byKeyword: Map<string, string>; byTag: Map<string, DictionaryEntry> } {
  if (byKeyword === undefined || byTag === undefined) {
    byKeyword = new Map();
    byTag = new Map();
    for (const line of dictionaryData.split('\n')) {
      const [tag, vr, keyword] = line.split(' ');
      if (tag === undefined || vr === undefined || keyword === undefined) continue;
      byKeyword.set(keyword, tag);
      byTag.set(tag, { keyword, vr });
    }
  }
  return { byKeyword, byTag };
}

const tagPattern = /^[0-9A-F]{8}$/;

/**
 * Repeating groups (PS3.5 7.6): overlays 60xx and curves 50xx are listed once, under 6000/5000.
 */
function dictionaryTag(tag: string): string {
  const group = Number.parseInt(tag.slice(0, 4), 16);
  if ((group & 0xff01) === 0x6000 || (group & 0xff01) === 0x5000) {
    return `${(group & 0xff00).toString(16).toUpperCase().padStart(4, '0')}${tag.slice(4)}`;
  }
  return tag;
}

/** True for a private tag: odd group number (PS3.5 7.8). */
export function isPrivateTag(tag: string): boolean {
  const group = Number.parseInt(tag.slice(0, 4), 16);
  return group % 2 === 1;
}

/** True for a Private Creator element (gggg,0010-00FF) in an odd group (PS3.5 7.8.1). */
export function isPrivateCreatorTag(tag: string): boolean {
  if (!isPrivateTag(tag)) return false;
  const element = Number.parseInt(tag.slice(4), 16);
  return element >= 0x0010 && element <= 0x00ff;
}

/** The tag of a keyword ("StudyInstanceUID" → "0020000D"), or undefined if the keyword is unknown. */
export function keywordToTag(keyword: string): string | undefined {
  return load().byKeyword.get(keyword);
}

/** The keyword of a tag ("0020000D" → "StudyInstanceUID"); undefined for private and unknown tags. */
export function tagToKeyword(tag: string): string | undefined {
  const normalized = tag.replace(/[(),\s]/g, '').toUpperCase();
  if (!tagPattern.test(normalized) || isPrivateTag(normalized)) return undefined;
  return load().byTag.get(dictionaryTag(normalized))?.keyword;
}

/**
 * Normalises a keyword or a tag ("0020000D", "(0020,000D)", "0020,000d") to "0020000D".
 * Throws `PacsError('INVALID_ARGUMENT')` for an unknown keyword or a malformed tag.
 */
export function toTag(keywordOrTag: string): string {
  const asTag = keywordOrTag.replace(/[(),\s]/g, '').toUpperCase();
  if (tagPattern.test(asTag)) return asTag;
  const tag = keywordToTag(keywordOrTag.trim());
  if (tag === undefined) {
    throw new PacsError('INVALID_ARGUMENT', `unknown DICOM keyword or tag: ${keywordOrTag.slice(0, 64)}`);
  }
  return tag;
}

/**
 * The VR of a tag or keyword from the dictionary. Choices are resolved the usual way for a data set
 * without context: "OB or OW" → OW, "US or SS" → US, "US or OW" → OW. Group lengths are UL, private
 * creators LO; other private and unknown tags are UN (PS3.5 6.2.2).
 */
export function vrOf(tagOrKeyword: string): ValueRepresentation {
  const tag = toTag(tagOrKeyword);
  if (tag.endsWith('0000')) return 'UL';
  if (isPrivateCreatorTag(tag)) return 'LO';
  if (isPrivateTag(tag)) return 'UN';
  const entry = load().byTag.get(dictionaryTag(tag));
  if (entry === undefined) return 'UN';
  return dictionaryVrToValueRepresentation(entry.vr);
}

/** The dictionary's raw VR for a tag ('ox', 'xs', … included), or undefined when unknown or private. */
export function dictionaryVrOf(tag: string): string | undefined {
  if (isPrivateTag(tag)) return undefined;
  return load().byTag.get(dictionaryTag(tag))?.vr;
}

function dictionaryVrToValueRepresentation(vr: string): ValueRepresentation {
  switch (vr) {
    case 'ox':
    case 'lt':
      return 'OW';
    case 'xs':
      return 'US';
    case 'up':
      return 'UL';
    case 'na':
      return 'UN';
    default:
      return valueRepresentations.has(vr) ? (vr as ValueRepresentation) : 'UN';
  }
}

const valueRepresentations: ReadonlySet<string> = new Set([
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FD',
  'FL',
  'IS',
  'LO',
  'LT',
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'PN',
  'SH',
  'SL',
  'SQ',
  'SS',
  'ST',
  'SV',
  'TM',
  'UC',
  'UI',
  'UL',
  'UN',
  'UR',
  'US',
  'UT',
  'UV',
]);

/** True if `vr` is one of the VRs of PS3.5 6.2. */
export function isValueRepresentation(vr: string): vr is ValueRepresentation {
  return valueRepresentations.has(vr);
}
