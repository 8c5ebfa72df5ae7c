/**
 * The DICOM JSON model (PS3.18 Annex F). Keys are 8-digit upper-case hex tags ("0020000D").
 */

/** Value Representations (PS3.5 6.2). */
export type ValueRepresentation =
  | 'AE'
  | 'AS'
  | 'AT'
  | 'CS'
  | 'DA'
  | 'DS'
  | 'DT'
  | 'FD'
  | 'FL'
  | 'IS'
  | 'LO'
  | 'LT'
  | 'OB'
  | 'OD'
  | 'OF'
  | 'OL'
  | 'OV'
  | 'OW'
  | 'PN'
  | 'SH'
  | 'SL'
  | 'SQ'
  | 'SS'
  | 'ST'
  | 'SV'
  | 'TM'
  | 'UC'
  | 'UI'
  | 'UL'
  | 'UN'
  | 'UR'
  | 'US'
  | 'UT'
  | 'UV';

/** A Person Name value (PS3.18 F.2.2): the three component groups. */
export interface PersonNameValue {
  Alphabetic?: string;
  Ideographic?: string;
  Phonetic?: string;
}

/** One value of a multi-valued attribute. `null` stands for an empty value inside a list (F.2.5). */
export type DicomJsonValue = string | number | PersonNameValue | DicomJsonDataset | null;

/** An attribute (PS3.18 F.2.2): exactly one of Value, InlineBinary or BulkDataURI, or none (empty). */
export interface DicomJsonAttribute {
  vr: ValueRepresentation;
  Value?: DicomJsonValue[];
  /** Base64 of the value bytes (binary VRs: OB, OD, OF, OL, OV, OW, UN). */
  InlineBinary?: string;
  /** Where to fetch the value bytes (WADO-RS bulk data). */
  BulkDataURI?: string;
}

/** A data set: tag → attribute. Sequence items are data sets too. */
export type DicomJsonDataset = Record<string, DicomJsonAttribute>;

/** VRs whose value is bytes, carried as InlineBinary or BulkDataURI. */
export const binaryValueRepresentations: ReadonlySet<ValueRepresentation> = new Set<ValueRepresentation>([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'UN',
]);

/** Normalises a tag to the 8-digit upper-case hex form DICOM JSON uses ("(0010,0020)" → "00100020"). */
export function normalizeTag(tag: string): string {
  return tag.replace(/[(),\s]/g, '').toUpperCase();
}
