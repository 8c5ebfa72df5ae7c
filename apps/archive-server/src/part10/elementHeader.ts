import { longLengthVrs } from '@pacskit/dicom';

/**
 * A little-endian data element header (PS3.5 7.1): tag, then in explicit VR the VR and a 2-byte
 * length, or 2 reserved bytes and a 4-byte length for the VRs of PS3.5 Table 7.1-1; in implicit VR
 * the tag and a 4-byte length.
 */
export function elementHeader(
  group: number,
  element: number,
  vr: string,
  length: number,
  explicitVR: boolean,
): Buffer {
  if (!explicitVR) {
    const buffer = Buffer.alloc(8);
    buffer.writeUInt16LE(group, 0);
    buffer.writeUInt16LE(element, 2);
    buffer.writeUInt32LE(length, 4);
    return buffer;
  }
  const long = longLengthVrs.has(vr);
  const buffer = Buffer.alloc(long ? 12 : 8);
  buffer.writeUInt16LE(group, 0);
  buffer.writeUInt16LE(element, 2);
  buffer.write(vr, 4, 'latin1');
  if (long) buffer.writeUInt32LE(length, 8);
  else buffer.writeUInt16LE(length, 6);
  return buffer;
}
