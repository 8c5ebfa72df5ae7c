import { inflateRawSync } from 'node:zlib';
import type {
  DicomJsonAttribute,
  DicomJsonDataset,
  DicomJsonValue,
  ValueRepresentation,
} from '@pacskit/dicom';
import { characterSetValueRepresentations, decodeText, longLengthVrs, PacsError, vrOf } from '@pacskit/dicom';
import { BufferSource, type ByteSource } from './ByteSource.js';
import { type TransferSyntaxEncoding, transferSyntaxEncoding } from './transferSyntax.js';

/** Where a value lives in the file (offsets are in the data set's byte source). */
export interface ByteRange {
  offset: number;
  length: number;
}

/** Pixel Data (7FE0,0010): native bytes or encapsulated fragments (PS3.5 A.4). */
export interface PixelDataLocation extends ByteRange {
  vr: ValueRepresentation;
  encapsulated: boolean;
  /** Fragments after the Basic Offset Table item. */
  fragments: ByteRange[];
  /** Offsets of each frame's first fragment, relative to the first fragment (PS3.5 A.4 Basic Offset Table). */
  basicOffsetTable: number[];
}

export interface ParsedPart10 {
  /** File Meta Information (group 0002, PS3.10 7.1). */
  meta: DicomJsonDataset;
  transferSyntaxUID: string;
  encoding: TransferSyntaxEncoding;
  /**
   * The data set in DICOM JSON. Top-level binary values larger than the threshold, and Pixel Data,
   * carry a BulkDataURI of the form `${bulkDataPrefix}<tag>` instead of their bytes.
   */
  dataset: DicomJsonDataset;
  /** Top-level binary values not inlined, by tag. Offsets refer to `datasetSource` when deflated. */
  bulkData: Record<string, ByteRange>;
  pixelData: PixelDataLocation | undefined;
  /** Offset of the first data set element in the file (for deflated files, in the inflated bytes). */
  datasetOffset: number;
}

export interface ReadPart10Options {
  /** Top-level binary values longer than this become BulkDataURIs (default 1024 bytes). */
  bulkDataThreshold?: number;
  /** Prefix of the BulkDataURIs written into `dataset` (default `bulk/`). */
  bulkDataPrefix?: string;
  /** Stop before this tag (e.g. '7FE00010' to read only the header). Its location is still recorded. */
  untilTag?: string;
}

const maxDepth = 32;
const undefinedLength = 0xffffffff;
const textVRs = new Set(['LT', 'ST', 'UT', 'UR']);
const stringVRs = new Set([
  'AE',
  'AS',
  'CS',
  'DA',
  'DT',
  'LO',
  'LT',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
  'PN',
  'DS',
  'IS',
]);
const binaryVRs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);
/** Explicit VRs with a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2). */
const knownVRs = new Set([
  ...stringVRs,
  ...binaryVRs,
  'AT',
  'FD',
  'FL',
  'SL',
  'SQ',
  'SS',
  'SV',
  'UL',
  'US',
  'UV',
]);

function parseError(message: string, details: Record<string, unknown>): PacsError {
  return new PacsError('DICOM_PARSE_ERROR', message, { details });
}

function hexTag(group: number, element: number): string {
  return (((group << 16) | element) >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

interface Context {
  source: ByteSource;
  encoding: TransferSyntaxEncoding;
  /** Values of Specific Character Set (0008,0005) in scope; items may override it (PS3.5 6.1.2.5). */
  characterSet: readonly string[];
}

/**
 * Reads a DICOM Part 10 file (PS3.10 7.1) without loading large values: the preamble, the File
 * Meta Information, then the data set in its transfer syntax, recording where bulk data and pixel
 * data fragments lie. Every length is checked against the bytes present, so truncated files,
 * lying lengths and huge tag lengths fail with DICOM_PARSE_ERROR instead of allocating.
 */
export function readPart10(source: ByteSource, options: ReadPart10Options = {}): ParsedPart10 {
  const threshold = options.bulkDataThreshold ?? 1024;
  const prefix = options.bulkDataPrefix ?? 'bulk/';
  if (source.length < 132 || source.bytes(128, 4).toString('latin1') !== 'DICM') {
    throw parseError('not a DICOM Part 10 file: no DICM prefix at byte 128 (PS3.10 7.1)', {});
  }
  // File Meta Information: always explicit VR little endian.
  const metaContext: Context = {
    source,
    encoding: { explicitVR: true, littleEndian: true, deflated: false, encapsulated: false },
    characterSet: [],
  };
  const meta: DicomJsonDataset = {};
  let offset = 132;
  while (offset + 8 <= source.length) {
    const group = source.bytes(offset, 2).readUInt16LE(0);
    if (group !== 0x0002) break;
    offset = readElement(metaContext, offset, meta, 0, {
      threshold: Number.POSITIVE_INFINITY,
      prefix,
      bulk: {},
    });
  }
  const transferSyntaxUID = firstString(meta['00020010']);
  if (!transferSyntaxUID) {
    throw new PacsError(
      'DICOM_PARSE_ERROR',
      'the File Meta Information has no Transfer Syntax UID (0002,0010)',
      {
        details: { tag: '00020010' },
      },
    );
  }
  const encoding = transferSyntaxEncoding(transferSyntaxUID);
  if (!encoding) {
    throw new PacsError('UNSUPPORTED_TRANSFER_SYNTAX', 'unknown transfer syntax', {
      details: { transferSyntaxUID },
    });
  }
  let datasetSource = source;
  if (encoding.deflated) {
    // PS3.5 A.5: the data set after the meta information is raw deflate.
    try {
      datasetSource = new BufferSource(inflateRawSync(source.bytes(offset, source.length - offset)));
    } catch (cause) {
      throw new PacsError('DICOM_PARSE_ERROR', 'the deflated data set cannot be inflated', {
        cause,
        details: {},
      });
    }
    offset = 0;
  }
  const datasetOffset = offset;
  const context: Context = { source: datasetSource, encoding, characterSet: [] };
  const dataset: DicomJsonDataset = {};
  const bulk: Record<string, ByteRange> = {};
  const state: ReadState = { threshold, prefix, bulk, untilTag: options.untilTag };
  while (offset < datasetSource.length) {
    if (datasetSource.length - offset < 8) {
      // Trailing padding shorter than an element header: tolerated only if it is all zero.
      if (datasetSource.bytes(offset, datasetSource.length - offset).every((b) => b === 0)) break;
      throw parseError('the file ends inside an element header', { offset });
    }
    const next = readElement(context, offset, dataset, 0, state);
    if (state.stopped) break;
    offset = next;
  }
  return {
    meta,
    transferSyntaxUID,
    encoding,
    dataset,
    bulkData: bulk,
    pixelData: state.pixelData,
    datasetOffset,
  };
}

interface ReadState {
  threshold: number;
  prefix: string;
  bulk: Record<string, ByteRange>;
  untilTag?: string | undefined;
  stopped?: boolean;
  pixelData?: PixelDataLocation;
}

function readTagAt(context: Context, offset: number): { group: number; element: number } {
  const b = context.source.bytes(offset, 4);
  return context.encoding.littleEndian
    ? { group: b.readUInt16LE(0), element: b.readUInt16LE(2) }
    : { group: b.readUInt16BE(0), element: b.readUInt16BE(2) };
}

function readUInt32(context: Context, offset: number): number {
  const b = context.source.bytes(offset, 4);
  return context.encoding.littleEndian ? b.readUInt32LE(0) : b.readUInt32BE(0);
}

/** Reads one element at `offset` into `target`; returns the offset after it. */
function readElement(
  context: Context,
  offset: number,
  target: DicomJsonDataset,
  depth: number,
  state: ReadState,
): number {
  const { group, element } = readTagAt(context, offset);
  const tag = hexTag(group, element);
  if (group === 0xfffe) throw parseError('unexpected item tag in a data set', { offset, tag });
  let vr: string;
  let length: number;
  let valueOffset: number;
  // Group 0002 is explicit VR LE whatever the transfer syntax (PS3.10 7.1).
  if (context.encoding.explicitVR || group === 0x0002) {
    vr = context.source.bytes(offset + 4, 2).toString('latin1');
    if (!knownVRs.has(vr)) throw parseError('invalid value representation', { offset, tag });
    if (longLengthVrs.has(vr)) {
      length = readUInt32(context, offset + 8);
      valueOffset = offset + 12;
    } else {
      const b = context.source.bytes(offset + 6, 2);
      length = context.encoding.littleEndian ? b.readUInt16LE(0) : b.readUInt16BE(0);
      valueOffset = offset + 8;
    }
  } else {
    vr = vrOf(tag);
    length = readUInt32(context, offset + 4);
    valueOffset = offset + 8;
  }
  if (depth === 0 && state.untilTag !== undefined && tag >= state.untilTag && tag !== '7FE00010') {
    state.stopped = true;
    return offset;
  }
  if (tag === '7FE00010' && depth === 0) {
    const end = readPixelData(context, vr, length, valueOffset, state);
    target[tag] = { vr: vr as ValueRepresentation, BulkDataURI: `${state.prefix}${tag}` };
    if (state.untilTag !== undefined && tag >= state.untilTag) state.stopped = true;
    return end;
  }
  if (vr === 'SQ' || (length === undefinedLength && vr === 'UN')) {
    // UN with undefined length is a sequence in implicit VR little endian (PS3.5 6.2.2 note).
    const itemContext: Context =
      vr === 'UN'
        ? { ...context, encoding: { ...context.encoding, explicitVR: false, littleEndian: true } }
        : context;
    const { items, end } = readSequence(itemContext, valueOffset, length, depth, state);
    target[tag] = items.length > 0 ? { vr: 'SQ', Value: items } : { vr: 'SQ' };
    return end;
  }
  if (length === undefinedLength)
    throw parseError('undefined length on a non-sequence element', { offset, tag });
  if (valueOffset + length > context.source.length) {
    throw parseError('an element length exceeds the remaining bytes (truncated or lying length)', {
      offset,
      tag,
      length,
    });
  }
  if (element === 0x0000) return valueOffset + length; // group lengths are retired (PS3.5 7.2)
  if (binaryVRs.has(vr)) {
    if (depth === 0 && length > state.threshold) {
      state.bulk[tag] = { offset: valueOffset, length };
      target[tag] = { vr: vr as ValueRepresentation, BulkDataURI: `${state.prefix}${tag}` };
    } else {
      const bytes = context.source.bytes(valueOffset, length);
      const value = context.encoding.littleEndian ? bytes : swapForVR(bytes, vr);
      target[tag] =
        length > 0
          ? { vr: vr as ValueRepresentation, InlineBinary: value.toString('base64') }
          : { vr: vr as ValueRepresentation };
    }
    return valueOffset + length;
  }
  const bytes = context.source.bytes(valueOffset, length);
  const attribute = decodeValue(context, vr as ValueRepresentation, bytes);
  if (tag === '00080005') {
    context.characterSet = (attribute.Value ?? []).map((v) => (typeof v === 'string' ? v : ''));
  }
  target[tag] = attribute;
  return valueOffset + length;
}

function readSequence(
  context: Context,
  offset: number,
  length: number,
  depth: number,
  state: ReadState,
): { items: DicomJsonDataset[]; end: number } {
  if (depth >= maxDepth) throw parseError('sequences nested too deeply', { offset, depth });
  const items: DicomJsonDataset[] = [];
  const end = length === undefinedLength ? Number.POSITIVE_INFINITY : offset + length;
  if (end !== Number.POSITIVE_INFINITY && end > context.source.length) {
    throw parseError('a sequence length exceeds the remaining bytes', { offset, length });
  }
  let position = offset;
  while (position < end) {
    const { group, element } = readTagAt(context, position);
    const itemLength = readUInt32(context, position + 4);
    if (group === 0xfffe && element === 0xe0dd) return { items, end: position + 8 }; // sequence delimiter
    if (group !== 0xfffe || element !== 0xe000)
      throw parseError('expected an item in a sequence', { offset: position });
    position += 8;
    const item: DicomJsonDataset = {};
    const itemContext: Context = { ...context };
    const itemEnd = itemLength === undefinedLength ? Number.POSITIVE_INFINITY : position + itemLength;
    if (itemEnd !== Number.POSITIVE_INFINITY && itemEnd > context.source.length) {
      throw parseError('an item length exceeds the remaining bytes', {
        offset: position,
        length: itemLength,
      });
    }
    while (position < itemEnd) {
      const tag = readTagAt(context, position);
      if (tag.group === 0xfffe && tag.element === 0xe00d) {
        position += 8; // item delimiter
        break;
      }
      position = readElement(itemContext, position, item, depth + 1, { ...state, untilTag: undefined });
    }
    if (itemEnd !== Number.POSITIVE_INFINITY && position !== itemEnd) {
      throw parseError('an item length does not match its content', { offset: position });
    }
    items.push(item);
  }
  if (position !== end)
    throw parseError('a sequence length does not match its content', { offset: position });
  return { items, end };
}

function readPixelData(
  context: Context,
  vr: string,
  length: number,
  valueOffset: number,
  state: ReadState,
): number {
  if (length !== undefinedLength) {
    if (valueOffset + length > context.source.length) {
      throw parseError('the Pixel Data length exceeds the remaining bytes', { tag: '7FE00010', length });
    }
    state.pixelData = {
      vr: vr as ValueRepresentation,
      offset: valueOffset,
      length,
      encapsulated: false,
      fragments: [],
      basicOffsetTable: [],
    };
    return valueOffset + length;
  }
  // Encapsulated (PS3.5 A.4): Basic Offset Table item, fragments, sequence delimiter.
  const fragments: ByteRange[] = [];
  let basicOffsetTable: number[] = [];
  let position = valueOffset;
  let first = true;
  for (;;) {
    const { group, element } = readTagAt(context, position);
    const itemLength = readUInt32(context, position + 4);
    position += 8;
    if (group === 0xfffe && element === 0xe0dd) break;
    if (group !== 0xfffe || element !== 0xe000 || itemLength === undefinedLength) {
      throw parseError('malformed encapsulated pixel data', { offset: position - 8 });
    }
    if (position + itemLength > context.source.length) {
      throw parseError('a pixel data fragment length exceeds the remaining bytes', {
        offset: position,
        itemLength,
      });
    }
    if (first) {
      const table = context.source.bytes(position, itemLength);
      basicOffsetTable = [];
      for (let i = 0; i + 4 <= table.length; i += 4) basicOffsetTable.push(table.readUInt32LE(i));
      first = false;
    } else {
      fragments.push({ offset: position, length: itemLength });
    }
    position += itemLength;
  }
  state.pixelData = {
    vr: vr as ValueRepresentation,
    offset: valueOffset,
    length: position - valueOffset,
    encapsulated: true,
    fragments,
    basicOffsetTable,
  };
  return position;
}

function swapForVR(bytes: Buffer, vr: string): Buffer {
  const size = vr === 'OW' ? 2 : vr === 'OL' || vr === 'OF' ? 4 : vr === 'OD' || vr === 'OV' ? 8 : 1;
  if (size === 1) return bytes;
  const copy = Buffer.from(bytes);
  if (size === 2) copy.swap16();
  else if (size === 4) copy.swap32();
  else copy.swap64();
  return copy;
}

function trimValue(vr: ValueRepresentation, value: string): string {
  // PS3.5 6.2: trailing spaces (and NUL for UI) are padding; leading spaces too except in text VRs.
  if (vr === 'UI') return value.replace(/[\0 ]+$/, '');
  if (textVRs.has(vr)) return value.replace(/[\0 ]+$/, '');
  return value.replace(/^[ ]+|[\0 ]+$/g, '');
}

function decodeValue(context: Context, vr: ValueRepresentation, bytes: Buffer): DicomJsonAttribute {
  if (bytes.length === 0) return { vr };
  const little = context.encoding.littleEndian;
  const numbers = (size: number, read: (offset: number) => number | bigint): DicomJsonAttribute => {
    const values: DicomJsonValue[] = [];
    for (let i = 0; i + size <= bytes.length; i += size) {
      const v = read(i);
      values.push(typeof v === 'bigint' ? Number(v) : v);
    }
    return { vr, Value: values };
  };
  switch (vr) {
    case 'US':
      return numbers(2, (i) => (little ? bytes.readUInt16LE(i) : bytes.readUInt16BE(i)));
    case 'SS':
      return numbers(2, (i) => (little ? bytes.readInt16LE(i) : bytes.readInt16BE(i)));
    case 'UL':
      return numbers(4, (i) => (little ? bytes.readUInt32LE(i) : bytes.readUInt32BE(i)));
    case 'SL':
      return numbers(4, (i) => (little ? bytes.readInt32LE(i) : bytes.readInt32BE(i)));
    case 'FL':
      return numbers(4, (i) => (little ? bytes.readFloatLE(i) : bytes.readFloatBE(i)));
    case 'FD':
      return numbers(8, (i) => (little ? bytes.readDoubleLE(i) : bytes.readDoubleBE(i)));
    case 'SV':
      return numbers(8, (i) => (little ? bytes.readBigInt64LE(i) : bytes.readBigInt64BE(i)));
    case 'UV':
      return numbers(8, (i) => (little ? bytes.readBigUInt64LE(i) : bytes.readBigUInt64BE(i)));
    case 'AT': {
      const values: DicomJsonValue[] = [];
      for (let i = 0; i + 4 <= bytes.length; i += 4) {
        const g = little ? bytes.readUInt16LE(i) : bytes.readUInt16BE(i);
        const e = little ? bytes.readUInt16LE(i + 2) : bytes.readUInt16BE(i + 2);
        values.push(hexTag(g, e));
      }
      return { vr, Value: values };
    }
    default:
      break;
  }
  // Character data: only these VRs use the Specific Character Set (PS3.5 6.1.2.3); ISO 2022 code
  // extensions (PS3.5 6.1.2.5, Annexes H–K) are decoded in full by @pacskit/dicom.
  const text = characterSetValueRepresentations.has(vr)
    ? decodeText(bytes, context.characterSet)
    : bytes.toString('latin1');
  const parts = textVRs.has(vr) ? [text] : text.split('\\');
  const values: DicomJsonValue[] = parts.map((raw) => {
    const value = trimValue(vr, raw);
    if (value === '') return null;
    if (vr === 'PN') {
      const [alphabetic, ideographic, phonetic] = value.split('=');
      return {
        ...(alphabetic ? { Alphabetic: alphabetic } : {}),
        ...(ideographic ? { Ideographic: ideographic } : {}),
        ...(phonetic ? { Phonetic: phonetic } : {}),
      };
    }
    if (vr === 'DS' || vr === 'IS') {
      const n = Number(value);
      return Number.isFinite(n) ? n : value;
    }
    return value;
  });
  if (values.every((v) => v === null)) return { vr };
  return { vr, Value: values };
}

function firstString(attribute: DicomJsonAttribute | undefined): string | undefined {
  const v = attribute?.Value?.[0];
  return typeof v === 'string' ? v : undefined;
}
