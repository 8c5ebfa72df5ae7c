import type { DicomJsonAttribute, DicomJsonDataset, DicomJsonValue } from '@pacskit/dicom';
import { elementHeader } from '../part10/elementHeader.js';

/**
 * Encodes a DICOM JSON data set (PS3.18 F) in Implicit or Explicit VR Little Endian (PS3.5 7.1),
 * for C-FIND responses. dcmjs-dimse would re-encode each identifier through dcmjs (≈1 ms each);
 * query identifiers are small and flat, so a direct encoder is both simpler and faster.
 */
const implicitLittleEndian = '1.2.840.10008.1.2';
const binaryVRs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);
const undefinedLength = 0xffffffff;

function personName(value: DicomJsonValue): string {
  if (
    value &&
    typeof value === 'object' &&
    ('Alphabetic' in value || 'Ideographic' in value || 'Phonetic' in value)
  ) {
    const name = value as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
    return [name.Alphabetic ?? '', name.Ideographic ?? '', name.Phonetic ?? ''].join('=').replace(/=+$/, '');
  }
  return value === null || value === undefined ? '' : String(value);
}

function numbers(vr: string, values: DicomJsonValue[]): Buffer {
  const size = vr === 'FD' ? 8 : vr === 'US' || vr === 'SS' ? 2 : 4;
  const buffer = Buffer.alloc(size * values.length);
  values.forEach((value, index) => {
    const number = Number(value ?? 0);
    const at = index * size;
    if (vr === 'US') buffer.writeUInt16LE(number, at);
    else if (vr === 'SS') buffer.writeInt16LE(number, at);
    else if (vr === 'UL') buffer.writeUInt32LE(number, at);
    else if (vr === 'SL') buffer.writeInt32LE(number, at);
    else if (vr === 'FL') buffer.writeFloatLE(number, at);
    else if (vr === 'FD') buffer.writeDoubleLE(number, at);
    else if (vr === 'AT') {
      const tag = String(value ?? '00000000');
      buffer.writeUInt16LE(Number.parseInt(tag.slice(0, 4), 16), at);
      buffer.writeUInt16LE(Number.parseInt(tag.slice(4, 8), 16), at + 2);
    }
  });
  return buffer;
}

function valueBytes(attribute: DicomJsonAttribute, encoding: BufferEncoding): Buffer {
  const { vr } = attribute;
  if (binaryVRs.has(vr)) {
    const bytes = attribute.InlineBinary ? Buffer.from(attribute.InlineBinary, 'base64') : Buffer.alloc(0);
    return bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.alloc(1)]);
  }
  const values = attribute.Value ?? [];
  if (['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'AT'].includes(vr)) return numbers(vr, values);
  const text = values
    .map((value) => (vr === 'PN' ? personName(value) : value === null ? '' : String(value)))
    .join('\\');
  const bytes = Buffer.from(
    text,
    vr === 'UI' || vr === 'CS' || vr === 'DA' || vr === 'TM' ? 'latin1' : encoding,
  );
  if (bytes.length % 2 === 0) return bytes;
  return Buffer.concat([bytes, Buffer.from([vr === 'UI' ? 0x00 : 0x20])]);
}

function header(tag: string, vr: string, length: number, explicit: boolean): Buffer {
  return elementHeader(
    Number.parseInt(tag.slice(0, 4), 16),
    Number.parseInt(tag.slice(4, 8), 16),
    vr,
    length,
    explicit,
  );
}

function delimiter(element: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeUInt16LE(0xfffe, 0);
  buffer.writeUInt16LE(element, 2);
  return buffer;
}

function encodeInto(
  parts: Buffer[],
  dataset: DicomJsonDataset,
  explicit: boolean,
  encoding: BufferEncoding,
): void {
  for (const tag of Object.keys(dataset).sort()) {
    const attribute = dataset[tag]!;
    if (attribute.vr === 'SQ') {
      parts.push(header(tag, 'SQ', undefinedLength, explicit));
      for (const item of (attribute.Value ?? []) as DicomJsonDataset[]) {
        const itemStart = delimiter(0xe000);
        itemStart.writeUInt32LE(undefinedLength, 4);
        parts.push(itemStart);
        encodeInto(parts, item, explicit, encoding);
        parts.push(delimiter(0xe00d));
      }
      parts.push(delimiter(0xe0dd));
      continue;
    }
    const value = valueBytes(attribute, encoding);
    parts.push(header(tag, attribute.vr, value.length, explicit), value);
  }
}

export function encodeDataset(dataset: DicomJsonDataset, transferSyntaxUID: string): Buffer {
  const charset = String(dataset['00080005']?.Value?.join('\\') ?? '');
  // ISO_IR 192 is UTF-8; otherwise Latin-1 covers the default repertoire and ISO_IR 100 (PS3.5 6.1).
  const encoding: BufferEncoding = charset.includes('ISO_IR 192') ? 'utf8' : 'latin1';
  const parts: Buffer[] = [];
  encodeInto(parts, dataset, transferSyntaxUID !== implicitLittleEndian, encoding);
  return Buffer.concat(parts);
}
