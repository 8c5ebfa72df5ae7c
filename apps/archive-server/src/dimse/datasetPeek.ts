/**
 * Finds SOP Class UID (0008,0016) and SOP Instance UID (0008,0018) in the first bytes of a data
 * set as it arrives, so a C-STORE whose data set does not match its command (PS3.4 B.2.3 status
 * 0xA900) is refused before anything is written. Returns 'more' while it needs more bytes and
 * 'unknown' when it cannot tell cheaply (deflate, undefined lengths before group 0008's end).
 */
export type DatasetPeekResult =
  | { kind: 'found'; sopClassUID: string | undefined; sopInstanceUID: string | undefined }
  | { kind: 'more' }
  | { kind: 'unknown' };

const implicitLittleEndian = '1.2.840.10008.1.2';
const explicitBigEndian = '1.2.840.10008.1.2.2';
const deflatedExplicitLittleEndian = '1.2.840.10008.1.2.1.99';
const longLengthVRs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

export const datasetPeekLimit = 64 * 1024;

export function peekSopUIDs(head: Buffer, transferSyntaxUID: string): DatasetPeekResult {
  if (transferSyntaxUID === deflatedExplicitLittleEndian) return { kind: 'unknown' };
  const implicit = transferSyntaxUID === implicitLittleEndian;
  const bigEndian = transferSyntaxUID === explicitBigEndian;
  const u16 = (at: number) => (bigEndian ? head.readUInt16BE(at) : head.readUInt16LE(at));
  const u32 = (at: number) => (bigEndian ? head.readUInt32BE(at) : head.readUInt32LE(at));
  let sopClassUID: string | undefined;
  let sopInstanceUID: string | undefined;
  let offset = 0;
  for (;;) {
    if (head.length < offset + 8)
      return head.length >= datasetPeekLimit ? { kind: 'unknown' } : { kind: 'more' };
    const group = u16(offset);
    const element = u16(offset + 2);
    if (group > 0x0008 || (group === 0x0008 && element > 0x0018)) {
      return { kind: 'found', sopClassUID, sopInstanceUID };
    }
    let length: number;
    let valueOffset: number;
    if (implicit) {
      length = u32(offset + 4);
      valueOffset = offset + 8;
    } else {
      const vr = head.toString('ascii', offset + 4, offset + 6);
      if (longLengthVRs.has(vr)) {
        if (head.length < offset + 12) return { kind: 'more' };
        length = u32(offset + 8);
        valueOffset = offset + 12;
      } else {
        length = u16(offset + 6);
        valueOffset = offset + 8;
      }
    }
    if (length === 0xffffffff) return { kind: 'unknown' };
    if (head.length < valueOffset + length) {
      return valueOffset + length > datasetPeekLimit ? { kind: 'unknown' } : { kind: 'more' };
    }
    if (group === 0x0008 && (element === 0x0016 || element === 0x0018)) {
      const value = head.toString('ascii', valueOffset, valueOffset + length).replace(/[\0 ]+$/, '');
      if (element === 0x0016) sopClassUID = value;
      else sopInstanceUID = value;
      if (element === 0x0018) return { kind: 'found', sopClassUID, sopInstanceUID };
    }
    offset = valueOffset + length;
  }
}
