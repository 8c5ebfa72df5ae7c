import type { PersonNameValue } from './dicomJson.js';
import { PacsError } from './pacsError.js';

/** The five components of a Person Name component group (PS3.5 6.2.1.1). */
export interface PersonNameComponents {
  familyName: string;
  givenName: string;
  middleName: string;
  namePrefix: string;
  nameSuffix: string;
}

/** A Person Name with its three component groups (PS3.5 6.2.1.2); absent groups are undefined. */
export interface PersonName {
  alphabetic?: PersonNameComponents;
  ideographic?: PersonNameComponents;
  phonetic?: PersonNameComponents;
}

const componentKeys = ['familyName', 'givenName', 'middleName', 'namePrefix', 'nameSuffix'] as const;

function invalid(message: string): PacsError {
  return new PacsError('INVALID_ARGUMENT', `invalid PN: ${message}`);
}

function parseGroup(text: string): PersonNameComponents | undefined {
  if (text === '') return undefined;
  // PS3.5 6.2: at most 64 characters per component group; "^" separates at most five components.
  if ([...text].length > 64) throw invalid('a component group is longer than 64 characters');
  const parts = text.split('^');
  if (parts.length > 5) throw invalid('more than five components in a group');
  const components: PersonNameComponents = {
    familyName: '',
    givenName: '',
    middleName: '',
    namePrefix: '',
    nameSuffix: '',
  };
  parts.forEach((part, index) => {
    components[componentKeys[index]!] = part;
  });
  return components;
}

/**
 * Parses a PN value: "Family^Given^Middle^Prefix^Suffix" for each of up to three groups separated by
 * "=" (alphabetic, ideographic, phonetic), PS3.5 6.2.1. Accepts text or a DICOM JSON PN object.
 * Throws `PacsError('INVALID_ARGUMENT')` for more than three groups, more than five components, a
 * group over 64 characters, a backslash or control characters.
 */
export function parsePersonName(value: string | PersonNameValue): PersonName {
  const text =
    typeof value === 'string'
      ? value
      : [value.Alphabetic ?? '', value.Ideographic ?? '', value.Phonetic ?? ''].join('=');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: PN excludes control characters (PS3.5 6.2).
  if (/[\\\x00-\x1f\x7f]/.test(text)) throw invalid('backslash or control character');
  const groups = text.split('=');
  if (groups.length > 3) throw invalid('more than three component groups');
  const name: PersonName = {};
  const alphabetic = parseGroup(groups[0] ?? '');
  const ideographic = parseGroup(groups[1] ?? '');
  const phonetic = parseGroup(groups[2] ?? '');
  if (alphabetic !== undefined) name.alphabetic = alphabetic;
  if (ideographic !== undefined) name.ideographic = ideographic;
  if (phonetic !== undefined) name.phonetic = phonetic;
  return name;
}

function formatGroup(components: PersonNameComponents | undefined): string {
  if (components === undefined) return '';
  return componentKeys
    .map((key) => components[key])
    .join('^')
    .replace(/\^+$/, '');
}

/** Formats a Person Name, dropping trailing empty components and groups (PS3.5 6.2.1.1). */
export function formatPersonName(name: PersonName): string {
  return [formatGroup(name.alphabetic), formatGroup(name.ideographic), formatGroup(name.phonetic)]
    .join('=')
    .replace(/=+$/, '');
}

/** A Person Name as the DICOM JSON PN object (PS3.18 F.2.2). */
export function toPersonNameValue(name: PersonName): PersonNameValue {
  const value: PersonNameValue = {};
  const alphabetic = formatGroup(name.alphabetic);
  const ideographic = formatGroup(name.ideographic);
  const phonetic = formatGroup(name.phonetic);
  if (alphabetic !== '') value.Alphabetic = alphabetic;
  if (ideographic !== '') value.Ideographic = ideographic;
  if (phonetic !== '') value.Phonetic = phonetic;
  return value;
}
