import { isDeepStrictEqual } from 'node:util';
import type { InstanceRecord } from '../ports/Index.js';

/**
 * The record fields that queries and retrieval read: the UIDs, the level attributes QIDO/C-FIND
 * match and return, the precomputed WADO-RS metadata and the byte ranges frames and bulk data are
 * served from. `storedAt` is bookkeeping (no query returns it).
 */
const servedFields = [
  'studyInstanceUID',
  'seriesInstanceUID',
  'sopInstanceUID',
  'sopClassUID',
  'transferSyntaxUID',
  'blobKey',
  'size',
  'study',
  'series',
  'instance',
  'metadata',
  'pixelData',
  'bulkData',
  'deflated',
  'warnings',
] as const satisfies ReadonlyArray<keyof InstanceRecord>;

export type ServedField = (typeof servedFields)[number];

/**
 * The served fields in which two records of one instance differ: field names only, never values
 * (they are patient data). Attributes are compared as values, so a store that reorders JSON keys
 * still compares equal.
 */
export function differingFields(
  expected: InstanceRecord,
  actual: InstanceRecord,
  options: { ignoreBlobKey?: boolean } = {},
): ServedField[] {
  return servedFields.filter(
    (field) =>
      !(options.ignoreBlobKey && field === 'blobKey') && !isDeepStrictEqual(expected[field], actual[field]),
  );
}
