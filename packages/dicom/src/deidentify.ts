import {
  basicProfileActions,
  repeatingGroupAction,
  safePrivateAttributes,
} from './deidentificationProfile.js';
import type { DicomJsonAttribute, DicomJsonDataset, ValueRepresentation } from './dicomJson.js';
import { isPrivateCreatorTag, isPrivateTag } from './dictionary.js';
import { createUid } from './uid.js';

/** Maps each original UID to one replacement, the same every time (PS3.15 E.1 "U" action). */
export interface UidMapper {
  map(uid: string): string;
  /** How many UIDs have been replaced so far. */
  readonly size: number;
}

/**
 * A UID mapper for one de-identification job: pass the same mapper for every instance of a study (or
 * a whole export) so references between instances (Study, Series, Frame of Reference, Referenced SOP
 * Instance UIDs) stay consistent.
 */
export function createUidMapper(options: { root?: string } = {}): UidMapper {
  const mapping = new Map<string, string>();
  return {
    map(uid: string): string {
      let replacement = mapping.get(uid);
      if (replacement === undefined) {
        replacement = createUid(options.root === undefined ? {} : { root: options.root });
        mapping.set(uid, replacement);
      }
      return replacement;
    },
    get size() {
      return mapping.size;
    },
  };
}

export interface DeidentifyOptions {
  /** Retain Safe Private Option: keep private attributes known to be safe (PS3.15 E.3.10). */
  retainSafePrivate?: boolean;
  /** Retain UIDs Option: keep every UID (PS3.15 E.3.9). */
  retainUids?: boolean;
  /**
   * Clean Descriptors Option (PS3.15 E.3.5): keep descriptions and comments, with the patient's name
   * parts and ID blanked out, instead of removing them.
   */
  cleanDescriptors?: boolean;
  /** Mapper for UID replacement; share one across a study. Default: a new mapper per call. */
  uidMapper?: UidMapper;
  /** The pseudonymous Patient ID to write (default: empty). */
  patientId?: string;
  /** The pseudonymous Patient's Name to write (default: empty). */
  patientName?: string;
}

/**
 * De-identifies a data set with the Basic Application Level Confidentiality Profile (PS3.15 Annex E,
 * Table E.1-1) and the chosen options, recursively through sequences. Returns a new data set:
 * private attributes removed (unless safe and retained), Patient Identity Removed (0012,0062) "YES",
 * De-identification Method (0012,0063) and its Code Sequence (0012,0064) added. Never changes the input.
 */
export function deidentify(dataset: DicomJsonDataset, options: DeidentifyOptions = {}): DicomJsonDataset {
  const uidMapper = options.uidMapper ?? createUidMapper();
  const identifyingText = collectIdentifyingText(dataset);
  const out = deidentifyItem(dataset, { ...options, uidMapper }, identifyingText);
  if (options.patientName !== undefined && options.patientName !== '') {
    out['00100010'] = { vr: 'PN', Value: [{ Alphabetic: options.patientName }] };
  }
  if (options.patientId !== undefined && options.patientId !== '') {
    out['00100020'] = { vr: 'LO', Value: [options.patientId] };
  }
  out['00120062'] = { vr: 'CS', Value: ['YES'] };
  const methods = ['Basic Application Confidentiality Profile'];
  const codes = [code('113100', 'Basic Application Confidentiality Profile')];
  if (options.retainUids === true) {
    methods.push('Retain UIDs');
    codes.push(code('113110', 'Retain UIDs Option'));
  }
  if (options.retainSafePrivate === true) {
    methods.push('Retain Safe Private');
    codes.push(code('113111', 'Retain Safe Private Option'));
  }
  if (options.cleanDescriptors === true) {
    methods.push('Clean Descriptors');
    codes.push(code('113105', 'Clean Descriptors Option'));
  }
  out['00120063'] = { vr: 'LO', Value: [`PacsKit PS3.15 E: ${methods.join(', ')}`.slice(0, 64)] };
  out['00120064'] = { vr: 'SQ', Value: codes };
  // Dates are removed, not shifted (PS3.16 CID 7050 / PS3.3 C.7.1.1: "REMOVED").
  out['00280303'] = { vr: 'CS', Value: ['REMOVED'] };
  return out;
}

function code(value: string, meaning: string): DicomJsonDataset {
  return {
    '00080100': { vr: 'SH', Value: [value] },
    '00080102': { vr: 'SH', Value: ['DCM'] },
    '00080104': { vr: 'LO', Value: [meaning] },
  };
}

type ItemOptions = DeidentifyOptions & { uidMapper: UidMapper };

function deidentifyItem(
  dataset: DicomJsonDataset,
  options: ItemOptions,
  identifyingText: string[],
): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  const safePrivate = options.retainSafePrivate === true ? safePrivateTags(dataset) : new Set<string>();
  for (const [tag, attribute] of Object.entries(dataset)) {
    if (isPrivateTag(tag)) {
      if (safePrivate.has(tag)) out[tag] = attribute;
      continue;
    }
    const action = basicProfileActions[tag] ?? repeatingGroupAction(tag);
    switch (action) {
      case undefined:
        out[tag] =
          attribute.vr === 'SQ'
            ? mapItems(attribute, (item) => deidentifyItem(item, options, identifyingText))
            : attribute;
        break;
      case 'X':
        break;
      case 'Z':
        out[tag] = { vr: attribute.vr };
        break;
      case 'D':
        out[tag] = dummy(attribute.vr);
        break;
      case 'U':
        out[tag] =
          options.retainUids === true
            ? attribute
            : {
                vr: attribute.vr,
                ...(attribute.Value === undefined
                  ? {}
                  : {
                      Value: attribute.Value.map((value) =>
                        typeof value === 'string' && value !== '' ? options.uidMapper.map(value) : value,
                      ),
                    }),
              };
        break;
      case 'C':
        if (options.cleanDescriptors === true) out[tag] = clean(attribute, identifyingText);
        break;
      default:
        action satisfies never;
    }
  }
  return out;
}

function mapItems(
  attribute: DicomJsonAttribute,
  map: (item: DicomJsonDataset) => DicomJsonDataset,
): DicomJsonAttribute {
  if (attribute.Value === undefined) return attribute;
  return {
    ...attribute,
    Value: attribute.Value.map((value) =>
      value !== null && typeof value === 'object' ? map(value as DicomJsonDataset) : value,
    ),
  };
}

function dummy(vr: ValueRepresentation): DicomJsonAttribute {
  switch (vr) {
    case 'SQ':
      return { vr, Value: [] };
    case 'PN':
      return { vr, Value: [{ Alphabetic: 'ANONYMIZED' }] };
    case 'DA':
      return { vr, Value: ['19000101'] };
    case 'TM':
      return { vr, Value: ['000000'] };
    case 'DT':
      return { vr, Value: ['19000101000000'] };
    case 'AS':
      return { vr, Value: ['000Y'] };
    case 'IS':
    case 'DS':
      return { vr, Value: [0] };
    case 'UI':
      return { vr, Value: [createUid()] };
    default:
      return { vr, Value: ['ANONYMIZED'] };
  }
}

/** Names and IDs of the patient, to blank out of descriptors kept by the Clean Descriptors Option. */
function collectIdentifyingText(dataset: DicomJsonDataset): string[] {
  const texts: string[] = [];
  for (const tag of ['00100010', '00101001', '00101005', '00101060']) {
    for (const value of dataset[tag]?.Value ?? []) {
      if (value !== null && typeof value === 'object') {
        for (const group of Object.values(value)) {
          if (typeof group === 'string') texts.push(...group.split(/[\^=\s]+/));
        }
      }
    }
  }
  for (const tag of ['00100020', '00101000', '00080050']) {
    for (const value of dataset[tag]?.Value ?? []) if (typeof value === 'string') texts.push(value);
  }
  return texts.filter((text) => text.trim().length >= 2);
}

function clean(attribute: DicomJsonAttribute, identifyingText: string[]): DicomJsonAttribute {
  if (attribute.Value === undefined) return attribute;
  return {
    ...attribute,
    Value: attribute.Value.map((value) => {
      if (typeof value !== 'string') return value;
      let cleaned = value;
      for (const text of identifyingText) {
        cleaned = cleaned.replace(new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '***');
      }
      return cleaned;
    }),
  };
}

function safePrivateTags(dataset: DicomJsonDataset): Set<string> {
  const kept = new Set<string>();
  for (const [tag, attribute] of Object.entries(dataset)) {
    if (!isPrivateCreatorTag(tag)) continue;
    const creator = attribute.Value?.[0];
    if (typeof creator !== 'string') continue;
    const group = Number.parseInt(tag.slice(0, 4), 16);
    const block = Number.parseInt(tag.slice(6, 8), 16);
    for (const safe of safePrivateAttributes) {
      if (safe.group !== group || safe.creator !== creator.trim()) continue;
      const elementTag =
        tag.slice(0, 4) +
        block.toString(16).toUpperCase().padStart(2, '0') +
        safe.elementByte.toString(16).toUpperCase().padStart(2, '0');
      if (dataset[elementTag] !== undefined) {
        kept.add(elementTag);
        kept.add(tag);
      }
    }
  }
  return kept;
}
