import { inflateRawSync } from 'node:zlib';
import { PacsError, vrOf } from '@pacskit/dicom';
import { explicitVRLittleEndian, transferSyntaxEncoding } from './transferSyntax.js';

const longLengthVRs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const swapSize: Record<string, number> = {
  US: 2,
  SS: 2,
  OW: 2,
  AT: 2,
  UL: 4,
  SL: 4,
  FL: 4,
  OF: 4,
  OL: 4,
  FD: 8,
  OD: 8,
  SV: 8,
  UV: 8,
  OV: 8,
};
const undefinedLength = 0xffffffff;

interface Input {
  bytes: Buffer;
  explicitVR: boolean;
  littleEndian: boolean;
}

/**
 * Re-encodes a native (uncompressed) Part 10 file in Explicit VR Little Endian (PS3.5 A.2), the
 * WADO-RS default: implicit VR gets VRs from the dictionary, big endian values are byte-swapped
 * per VR, deflate is inflated. Compressed syntaxes need a codec and fail with NOT_ACCEPTABLE.
 */
export function transcodeToExplicitVRLittleEndian(file: Buffer, transferSyntaxUID: string): Buffer {
  const encoding = transferSyntaxEncoding(transferSyntaxUID);
  if (!encoding || encoding.encapsulated) {
    throw new PacsError(
      'NOT_ACCEPTABLE',
      'a compressed instance cannot be converted to Explicit VR Little Endian',
      {
        details: { transferSyntaxUID },
      },
    );
  }
  const metaLength = file.readUInt32LE(140);
  const metaEnd = 144 + metaLength;
  const datasetBytes = encoding.deflated ? inflateRawSync(file.subarray(metaEnd)) : file.subarray(metaEnd);
  const out: Buffer[] = [];
  copyElements(
    { bytes: datasetBytes, explicitVR: encoding.explicitVR, littleEndian: encoding.littleEndian },
    0,
    datasetBytes.length,
    out,
    0,
  );
  return Buffer.concat([rewriteMeta(file.subarray(0, metaEnd)), ...out]);
}

function rewriteMeta(meta: Buffer): Buffer {
  const elements: Buffer[] = [];
  let offset = 144;
  while (offset < meta.length) {
    const element = meta.readUInt16LE(offset + 2);
    const vr = meta.toString('latin1', offset + 4, offset + 6);
    const long = longLengthVRs.has(vr);
    const length = long ? meta.readUInt32LE(offset + 8) : meta.readUInt16LE(offset + 6);
    const headerLength = long ? 12 : 8;
    const end = offset + headerLength + length;
    if (element === 0x0010) {
      const uid = Buffer.from(`${explicitVRLittleEndian}\0`);
      const header = Buffer.alloc(8);
      header.writeUInt16LE(0x0002, 0);
      header.writeUInt16LE(0x0010, 2);
      header.write('UI', 4, 'latin1');
      header.writeUInt16LE(uid.length, 6);
      elements.push(header, uid);
    } else {
      elements.push(meta.subarray(offset, end));
    }
    offset = end;
  }
  const body = Buffer.concat(elements);
  const groupLength = Buffer.alloc(12);
  groupLength.writeUInt16LE(0x0002, 0);
  groupLength.writeUInt16LE(0x0000, 2);
  groupLength.write('UL', 4, 'latin1');
  groupLength.writeUInt16LE(4, 6);
  groupLength.writeUInt32LE(body.length, 8);
  return Buffer.concat([meta.subarray(0, 132), groupLength, body]);
}

function u16(input: Input, offset: number): number {
  return input.littleEndian ? input.bytes.readUInt16LE(offset) : input.bytes.readUInt16BE(offset);
}
function u32(input: Input, offset: number): number {
  return input.littleEndian ? input.bytes.readUInt32LE(offset) : input.bytes.readUInt32BE(offset);
}

function header(group: number, element: number, vr: string, length: number): Buffer {
  const long = longLengthVRs.has(vr);
  const buffer = Buffer.alloc(long ? 12 : 8);
  buffer.writeUInt16LE(group, 0);
  buffer.writeUInt16LE(element, 2);
  buffer.write(vr, 4, 'latin1');
  if (long) buffer.writeUInt32LE(length, 8);
  else buffer.writeUInt16LE(length, 6);
  return buffer;
}

function itemTag(element: number, length: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeUInt16LE(0xfffe, 0);
  buffer.writeUInt16LE(element, 2);
  buffer.writeUInt32LE(length, 4);
  return buffer;
}

/** Copies elements in [offset, end) (or up to an item delimiter); returns where it stopped. */
function copyElements(input: Input, offset: number, end: number, out: Buffer[], depth: number): number {
  if (depth > 32) throw new PacsError('DICOM_PARSE_ERROR', 'sequences nested too deeply');
  let position = offset;
  while (position < end && position + 8 <= input.bytes.length) {
    const group = u16(input, position);
    const element = u16(input, position + 2);
    if (group === 0xfffe && element === 0xe00d) return position + 8; // item delimiter
    const tag = (((group << 16) | element) >>> 0).toString(16).toUpperCase().padStart(8, '0');
    let vr: string;
    let length: number;
    let valueOffset: number;
    if (input.explicitVR) {
      vr = input.bytes.toString('latin1', position + 4, position + 6);
      if (longLengthVRs.has(vr)) {
        length = u32(input, position + 8);
        valueOffset = position + 12;
      } else {
        length = u16(input, position + 6);
        valueOffset = position + 8;
      }
    } else {
      vr = tag === '7FE00010' ? 'OW' : vrOf(tag);
      length = u32(input, position + 4);
      valueOffset = position + 8;
    }
    if (vr === 'SQ' || length === undefinedLength) {
      const itemInput = vr === 'UN' ? { ...input, explicitVR: false, littleEndian: true } : input;
      out.push(header(group, element, 'SQ', undefinedLength));
      position = copySequence(itemInput, valueOffset, length, out, depth);
      out.push(itemTag(0xe0dd, 0));
      continue;
    }
    if (valueOffset + length > input.bytes.length)
      throw new PacsError('DICOM_PARSE_ERROR', 'truncated element');
    let value = input.bytes.subarray(valueOffset, valueOffset + length);
    const size = swapSize[vr];
    if (!input.littleEndian && size !== undefined && length % size === 0) {
      value = Buffer.from(value);
      if (size === 2) value.swap16();
      else if (size === 4) value.swap32();
      else value.swap64();
    }
    const outVR = !longLengthVRs.has(vr) && length > 0xffff ? 'UN' : vr;
    if (element !== 0x0000) out.push(header(group, element, outVR, length), value);
    position = valueOffset + length;
  }
  return position;
}

function copySequence(input: Input, offset: number, length: number, out: Buffer[], depth: number): number {
  const end = length === undefinedLength ? input.bytes.length : offset + length;
  let position = offset;
  while (position + 8 <= end) {
    const group = u16(input, position);
    const element = u16(input, position + 2);
    const itemLength = u32(input, position + 4);
    position += 8;
    if (group === 0xfffe && element === 0xe0dd) return position;
    if (group !== 0xfffe || element !== 0xe000)
      throw new PacsError('DICOM_PARSE_ERROR', 'expected a sequence item');
    out.push(itemTag(0xe000, undefinedLength));
    const itemEnd = itemLength === undefinedLength ? end : position + itemLength;
    position = copyElements(input, position, itemEnd, out, depth + 1);
    out.push(itemTag(0xe00d, 0));
  }
  return position;
}
