/** Transfer syntaxes (PS3.5 10, PS3.6 Annex A) and how their data sets are encoded. */
export const implicitVRLittleEndian = '1.2.840.10008.1.2';
export const explicitVRLittleEndian = '1.2.840.10008.1.2.1';
export const deflatedExplicitVRLittleEndian = '1.2.840.10008.1.2.1.99';
export const explicitVRBigEndian = '1.2.840.10008.1.2.2';
export const jpegBaseline = '1.2.840.10008.1.2.4.50';

export interface TransferSyntaxEncoding {
  explicitVR: boolean;
  littleEndian: boolean;
  deflated: boolean;
  /** Pixel data is encapsulated in fragments (PS3.5 A.4). */
  encapsulated: boolean;
}

const native: Record<string, TransferSyntaxEncoding> = {
  [implicitVRLittleEndian]: { explicitVR: false, littleEndian: true, deflated: false, encapsulated: false },
  [explicitVRLittleEndian]: { explicitVR: true, littleEndian: true, deflated: false, encapsulated: false },
  [deflatedExplicitVRLittleEndian]: {
    explicitVR: true,
    littleEndian: true,
    deflated: true,
    encapsulated: false,
  },
  [explicitVRBigEndian]: { explicitVR: true, littleEndian: false, deflated: false, encapsulated: false },
};

/**
 * The encoding of a transfer syntax, or undefined when we do not know it. Every compressed
 * syntax of PS3.5 Annex A.4 (JPEG, JPEG-LS, JPEG 2000, RLE, MPEG, HEVC, HTJ2K, JPEG XL, deflated
 * image frames) is explicit VR little endian with encapsulated pixel data.
 */
export function transferSyntaxEncoding(uid: string): TransferSyntaxEncoding | undefined {
  const known = native[uid];
  if (known) return known;
  if (/^1\.2\.840\.10008\.1\.2\.(4\.\d+|5|8\.1|11\.\d+)$/.test(uid)) {
    return { explicitVR: true, littleEndian: true, deflated: false, encapsulated: true };
  }
  return undefined;
}
