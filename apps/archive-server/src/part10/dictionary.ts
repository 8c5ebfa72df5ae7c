import { createRequire } from 'node:module';
import type { ValueRepresentation } from '@pacskit/dicom';

interface DcmjsDictionaryEntry {
  tag: string;
  vr: string;
  name: string;
}
interface DcmjsModule {
  data: {
    DicomMetaDictionary: {
      dictionary: Record<string, DcmjsDictionaryEntry>;
      nameMap: Record<string, DcmjsDictionaryEntry>;
    };
  };
}

/**
 * The PS3.6 data dictionary, borrowed from dcmjs (already a dependency) until @pacskit/dicom
 * exports its own: we need it for implicit-VR data sets (PS3.5 7.1.3) and for QIDO keywords.
 */
const dcmjs = createRequire(import.meta.url)('dcmjs') as DcmjsModule;

const ambiguousVRs: Record<string, string> = { ox: 'OB', xs: 'US', lt: 'OW', up: 'UL', na: 'UN' };
const vrByTag = new Map<string, ValueRepresentation>();
const tagByKeyword = new Map<string, string>();
const keywordByTag = new Map<string, string>();
// nameMap is complete; `dictionary` misses some entries (e.g. StudyInstanceUID in dcmjs 0.52).
const { dictionary, nameMap } = dcmjs.data.DicomMetaDictionary;
for (const entry of [...Object.values(dictionary), ...Object.values(nameMap)]) {
  const tag = entry.tag.replace(/[(),]/g, '').toUpperCase();
  if (!/^[0-9A-F]{8}$/.test(tag)) continue;
  // dcmjs spells ambiguous VRs in lower case ("ox" OB or OW, "xs" US or SS, "lt" US or OW, "up"
  // UL pointer, "na" none); pick one reading, the value bytes stay untouched either way.
  const vr = (ambiguousVRs[entry.vr] ?? entry.vr.slice(0, 2)) as ValueRepresentation;
  vrByTag.set(tag, vr);
  if (entry.name) {
    tagByKeyword.set(entry.name, tag);
    keywordByTag.set(tag, entry.name);
  }
}

/** The VR of a tag from the dictionary; UN when unknown (private tags, retired ranges). */
export function vrForTag(tag: string): ValueRepresentation {
  const known = vrByTag.get(tag);
  if (known) return known;
  if (tag.endsWith('0000')) return 'UL'; // group length (PS3.5 7.2)
  const group = Number.parseInt(tag.slice(0, 4), 16);
  const element = Number.parseInt(tag.slice(4), 16);
  if (group % 2 === 1 && element >= 0x10 && element <= 0xff) return 'LO'; // private creator (PS3.5 7.8.1)
  // Repeating groups (50xx curves, 60xx overlays) are listed once with xx.
  const masked = `${tag.slice(0, 2)}xx${tag.slice(4)}`;
  return (vrByTag.get(masked) as ValueRepresentation | undefined) ?? 'UN';
}

/** Resolves a keyword ("PatientID") or a tag ("00100020", "(0010,0020)") to the 8-hex-digit tag. */
export function tagForKeywordOrTag(keywordOrTag: string): string | undefined {
  const compact = keywordOrTag.replace(/[(),\s]/g, '').toUpperCase();
  if (/^[0-9A-F]{8}$/.test(compact)) return compact;
  return tagByKeyword.get(keywordOrTag);
}

export function keywordForTag(tag: string): string | undefined {
  return keywordByTag.get(tag);
}
