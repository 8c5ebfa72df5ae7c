/**
 * Transfer syntaxes (PS3.5 10 and Annex A; UIDs from PS3.6 Annex A).
 */
export const implicitVrLittleEndian = '1.2.840.10008.1.2';
export const explicitVrLittleEndian = '1.2.840.10008.1.2.1';
export const deflatedExplicitVrLittleEndian = '1.2.840.10008.1.2.1.99';
export const explicitVrBigEndian = '1.2.840.10008.1.2.2';

/** How the data set after the file meta information is encoded. */
export interface TransferSyntaxEncoding {
  explicitVr: boolean;
  littleEndian: boolean;
  deflated: boolean;
  /** Pixel Data is encapsulated (PS3.5 A.4): fragments in items, undefined length. */
  encapsulated: boolean;
}

const native: Record<string, TransferSyntaxEncoding> = {
  [implicitVrLittleEndian]: { explicitVr: false, littleEndian: true, deflated: false, encapsulated: false },
  [explicitVrLittleEndian]: { explicitVr: true, littleEndian: true, deflated: false, encapsulated: false },
  [deflatedExplicitVrLittleEndian]: {
    explicitVr: true,
    littleEndian: true,
    deflated: true,
    encapsulated: false,
  },
  [explicitVrBigEndian]: { explicitVr: true, littleEndian: false, deflated: false, encapsulated: false },
  // Encapsulated Uncompressed Explicit VR Little Endian (PS3.5 A.4.11).
  '1.2.840.10008.1.2.1.98': { explicitVr: true, littleEndian: true, deflated: false, encapsulated: true },
};

/**
 * Encapsulated transfer syntaxes of PS3.5 Annex A: JPEG (1.2.840.10008.1.2.4.50–.203, JPEG-LS,
 * JPEG 2000, HTJ2K, JPIP, MPEG-2/4, HEVC), RLE (1.2.840.10008.1.2.5) and the deflated-image ones (1.2.840.10008.1.2.8.1).
 */
const encapsulatedPattern = /^1\.2\.840\.10008\.1\.2\.(4\.\d+|5|8\.1)$/;

/** The encoding of a transfer syntax, or undefined when the UID is not a known transfer syntax. */
export function transferSyntaxEncoding(transferSyntaxUID: string): TransferSyntaxEncoding | undefined {
  const uid = transferSyntaxUID.replace(/[\0\s]+$/, '').trim();
  const known = native[uid];
  if (known !== undefined) return known;
  if (encapsulatedPattern.test(uid)) {
    // JPIP Referenced Deflate (4.95) deflates the data set too; its Pixel Data is a URL reference.
    const deflated = uid === '1.2.840.10008.1.2.4.95';
    return { explicitVr: true, littleEndian: true, deflated, encapsulated: !deflated };
  }
  return undefined;
}
