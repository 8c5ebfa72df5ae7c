import type { ValueRepresentation } from './dicomJson.js';

/**
 * How values of each VR are laid out in a data set (PS3.5 7.1.2 and 7.3).
 */

/** Explicit VR attributes with a 2-byte reserved field and a 4-byte length (PS3.5 Table 7.1-1). */
export const longLengthVrs: ReadonlySet<string> = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'UC',
  'UN',
  'UR',
  'UT',
  'SV',
  'UV',
]);

/** Word size of binary VRs whose bytes are swapped in big endian (PS3.5 7.3); OB and UN are bytes. */
export const byteSwapWidth: Partial<Record<ValueRepresentation, number>> = {
  OW: 2,
  OF: 4,
  OL: 4,
  OD: 8,
  OV: 8,
};

/** Reverses the byte order of each `width`-byte word; bytes that do not fill a word are left alone. */
export function swapBytes(bytes: Uint8Array, width: number): Uint8Array {
  if (bytes.length % width !== 0) return bytes;
  const swapped = new Uint8Array(bytes.length);
  for (let index = 0; index < bytes.length; index += width) {
    for (let byte = 0; byte < width; byte++) swapped[index + byte] = bytes[index + width - 1 - byte]!;
  }
  return swapped;
}
