import { inflateRawSync } from 'node:zlib';
import { type DicomJsonDataset, PacsError, longLengthVrs, vrOf } from '@pacskit/dicom';
import type { CodecWorkerPool } from '../render/CodecWorkerPool.js';
import { decodeFrame } from '../render/decodeFrame.js';
import { type PixelLayout, pixelLayoutOf } from '../render/PixelLayout.js';
import { frameFragments } from '../services/RetrieveService.js';
import { BufferSource } from './ByteSource.js';
import { elementHeader } from './elementHeader.js';
import { readPart10 } from './readPart10.js';
import {
  explicitVRLittleEndian,
  implicitVRLittleEndian,
  type TransferSyntaxEncoding,
  transferSyntaxEncoding,
} from './transferSyntax.js';

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
const pixelDataTag = 0x7fe00010;
/** "US or SS" attributes whose VR follows Pixel Representation (PS3.5 6.2); the dictionary says US. */
const pixelRepresentationDependent = new Set([
  0x00280106, 0x00280107, 0x00280108, 0x00280109, 0x00280110, 0x00280111, 0x00280120,
]);
/** The targets: the two uncompressed Little Endian syntaxes every DICOM peer accepts. */
const targets = new Set([explicitVRLittleEndian, implicitVRLittleEndian]);
/** Compressed syntaxes decodeFrame can decode (PS3.5 A.4). */
const decodable = new Set([
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.81',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.4.201',
  '1.2.840.10008.1.2.4.202',
  '1.2.840.10008.1.2.4.203',
  '1.2.840.10008.1.2.5',
]);
/** Syntaxes whose compression may lose information: JPEG baseline/extended, JPEG-LS near-lossless, JPEG 2000, HTJ2K. */
const lossy = new Set([
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.81',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.4.203',
]);

/** Whether `transcodePart10` can turn an instance in `from` into `to`. */
export function canTranscode(from: string, to: string): boolean {
  if (from === to || !targets.has(to)) return false;
  const encoding = transferSyntaxEncoding(from);
  return encoding !== undefined && (!encoding.encapsulated || decodable.has(from));
}

export interface TranscodeOptions {
  /** Explicit VR Little Endian (WADO-RS's default) or Implicit VR Little Endian (a DIMSE peer's only one). */
  to: string;
  /** Worker threads for JPEG Lossless, JPEG-LS, JPEG 2000 and HTJ2K frames. */
  codecs: CodecWorkerPool;
}

/**
 * Re-encodes a Part 10 file in Explicit or Implicit VR Little Endian (PS3.5 A.1, A.2): implicit VR
 * gets VRs from the dictionary, big endian values are byte-swapped per VR, deflate is inflated,
 * and encapsulated pixel data is decompressed (PS3.5 A.4) frame by frame. Private and unknown
 * elements are copied as they are (never through a naturalized data set, FACTS.md).
 *
 * Decompression changes what PS3.3 C.7.6.3 says about the pixels: the Transfer Syntax UID,
 * Photometric Interpretation where the codec undid a colour transform (YBR_FULL_422, YBR_ICT,
 * YBR_RCT → RGB), Planar Configuration 0, and Lossy Image Compression "01" for a lossy source
 * (C.7.6.1.1.5; a stored value, ratio and method are kept).
 *
 * Resolves once the first frame is decoded, so a frame no codec can read fails here
 * (NOT_ACCEPTABLE) rather than in the middle of a response. The chunks that follow hold views of
 * `file` and one decoded frame at a time (the next one decodes while the current one is sent):
 * memory is the stored (compressed) file plus two decoded frames.
 */
export async function transcodePart10(
  file: Buffer,
  options: TranscodeOptions,
): Promise<AsyncIterable<Buffer>> {
  const { to } = options;
  if (!targets.has(to)) throw notAcceptable('only Little Endian uncompressed syntaxes can be produced', to);
  const metaEnd = metaInformationEnd(file);
  const from = metaTransferSyntax(file, metaEnd);
  const encoding = transferSyntaxEncoding(from);
  if (!encoding || (encoding.encapsulated && !decodable.has(from)))
    throw notAcceptable('this transfer syntax cannot be decoded', from);
  const writer: Writer = { explicitVR: to === explicitVRLittleEndian, out: [] };
  writer.out.push(rewriteMeta(file.subarray(0, metaEnd), to));
  if (!encoding.encapsulated) {
    const dataset = encoding.deflated ? inflateRawSync(file.subarray(metaEnd)) : file.subarray(metaEnd);
    copyElements(reader(dataset, encoding), 0, dataset.length, writer, 0, new Overrides([]));
    return iterate(writer.out);
  }
  return decompress(file, metaEnd, from, writer, options.codecs);
}

/** One frame decoded to native little-endian samples, interleaved, exactly Rows × Columns × Samples long. */
export interface NativeFrame {
  bytes: Buffer;
  layout: PixelLayout;
}

/**
 * Decodes one compressed frame for uncompressed output (WADO-RS frames, transcodePart10). Failures
 * are NOT_ACCEPTABLE: the client asked for a syntax we cannot produce for this frame.
 */
export async function decodeFrameToNative(
  transferSyntaxUID: string,
  frame: Buffer,
  layout: PixelLayout,
  codecs: CodecWorkerPool,
): Promise<NativeFrame> {
  if (!decodable.has(transferSyntaxUID))
    throw notAcceptable('this transfer syntax cannot be decoded', transferSyntaxUID);
  let decoded: { bytes: Buffer; layout: PixelLayout };
  try {
    decoded = await decodeFrame(transferSyntaxUID, true, frame, layout, codecs);
  } catch (cause) {
    throw new PacsError('NOT_ACCEPTABLE', 'a frame could not be decoded to an uncompressed syntax', {
      details: { transferSyntaxUID },
      cause,
    });
  }
  const out = decoded.layout;
  if (
    out.bitsAllocated !== layout.bitsAllocated ||
    out.rows !== layout.rows ||
    out.columns !== layout.columns
  ) {
    throw notAcceptable('the decoded frame does not match the pixel description', transferSyntaxUID);
  }
  const length = out.rows * out.columns * out.samplesPerPixel * (out.bitsAllocated / 8);
  const bytes =
    out.planarConfiguration === 1 && out.samplesPerPixel > 1
      ? interleave(decoded.bytes, out, length)
      : decoded.bytes.subarray(0, length);
  return { bytes, layout: { ...out, planarConfiguration: 0 } };
}

async function decompress(
  file: Buffer,
  metaEnd: number,
  from: string,
  writer: Writer,
  codecs: CodecWorkerPool,
): Promise<AsyncIterable<Buffer>> {
  const parsed = readPart10(new BufferSource(file));
  const pixel = parsed.pixelData;
  if (!pixel?.encapsulated) {
    // An encapsulated syntax without pixel data (e.g. a structured report sent as JPEG): nothing to decode.
    copyElements(
      reader(file.subarray(metaEnd), parsed.encoding),
      0,
      file.length - metaEnd,
      writer,
      0,
      new Overrides([]),
    );
    return iterate(writer.out);
  }
  const layout = pixelLayoutOf(parsed.dataset);
  const frameCount = numberOf(parsed.dataset, '00280008') ?? 1;
  const fragments = frameFragments(pixel.fragments, pixel.basicOffsetTable, frameCount);
  if (fragments.length !== frameCount)
    throw notAcceptable('the fragments do not make Number of Frames frames', from);
  const frameBytes = (index: number) =>
    Buffer.concat((fragments[index] ?? []).map((f) => file.subarray(f.offset, f.offset + f.length)));
  const decode = (index: number) => decodeFrameToNative(from, frameBytes(index), layout, codecs);

  const first = await decode(0);
  const decodedLayout = first.layout;
  const overrides: Array<[number, string, Buffer]> = [];
  if (decodedLayout.samplesPerPixel > 1 || parsed.dataset['00280006'] !== undefined)
    overrides.push([0x00280006, 'US', uint16(0)]);
  if (decodedLayout.photometricInterpretation !== layout.photometricInterpretation)
    overrides.push([0x00280004, 'CS', text(decodedLayout.photometricInterpretation)]);
  if (decodedLayout.pixelRepresentation !== layout.pixelRepresentation)
    overrides.push([0x00280103, 'US', uint16(decodedLayout.pixelRepresentation)]);
  if (lossy.has(from) && parsed.dataset['00282110']?.Value?.[0] === undefined)
    overrides.push([0x00282110, 'CS', text('01')]);

  // Everything before Pixel Data (its 12-byte header starts before its value offset), then after it.
  const headerEnd = pixel.offset - 12;
  const before = reader(file.subarray(metaEnd, headerEnd), parsed.encoding);
  copyElements(before, 0, headerEnd - metaEnd, writer, 0, new Overrides(overrides));
  const frameLength = first.bytes.length;
  const total = frameLength * frameCount;
  const padded = total + (total % 2);
  writer.out.push(
    elementHeader(0x7fe0, 0x0010, decodedLayout.bitsAllocated > 8 ? 'OW' : 'OB', padded, writer.explicitVR),
  );
  const head = writer.out;
  const trailer: Writer = { explicitVR: writer.explicitVR, out: [] };
  const afterStart = pixel.offset + pixel.length;
  copyElements(
    reader(file.subarray(afterStart), parsed.encoding),
    0,
    file.length - afterStart,
    trailer,
    0,
    new Overrides([]),
  );

  return (async function* frames() {
    yield* head;
    let current: Promise<NativeFrame> = Promise.resolve(first);
    for (let index = 0; index < frameCount; index++) {
      const frame = await current;
      // Decode the next frame while this one is written.
      if (index + 1 < frameCount) {
        current = decode(index + 1);
        current.catch(() => undefined);
      }
      if (frame.bytes.length !== frameLength)
        throw notAcceptable('the frames decoded to different sizes', from);
      yield frame.bytes;
    }
    if (padded !== total) yield Buffer.alloc(1);
    yield* trailer.out;
  })();
}

async function* iterate(chunks: Buffer[]): AsyncIterable<Buffer> {
  yield* chunks;
}

/** CharLS leaves non-interleaved scans planar (RRR…GGG…BBB…); PS3.5 8.2 wants Planar Configuration 0 here. */
function interleave(bytes: Buffer, layout: PixelLayout, length: number): Buffer {
  const bytesPerSample = layout.bitsAllocated / 8;
  const pixels = layout.rows * layout.columns;
  const out = Buffer.alloc(length);
  const plane = pixels * bytesPerSample;
  for (let sample = 0; sample < layout.samplesPerPixel; sample++) {
    for (let pixel = 0; pixel < pixels; pixel++) {
      const source = sample * plane + pixel * bytesPerSample;
      const target = (pixel * layout.samplesPerPixel + sample) * bytesPerSample;
      bytes.copy(out, target, source, source + bytesPerSample);
    }
  }
  return out;
}

function notAcceptable(message: string, transferSyntaxUID: string): PacsError {
  return new PacsError('NOT_ACCEPTABLE', message, { details: { transferSyntaxUID } });
}

function numberOf(dataset: DicomJsonDataset, tag: string): number | undefined {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'number'
    ? value
    : typeof value === 'string' && value !== ''
      ? Number(value)
      : undefined;
}

function uint16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16LE(value, 0);
  return buffer;
}

/** CS values pad with a space to even length (PS3.5 6.2). */
function text(value: string): Buffer {
  return Buffer.from(value.length % 2 === 0 ? value : `${value} `, 'latin1');
}

function metaInformationEnd(file: Buffer): number {
  if (file.length < 144 || file.toString('latin1', 128, 132) !== 'DICM')
    throw new PacsError('DICOM_PARSE_ERROR', 'not a DICOM Part 10 file');
  // (0002,0000) File Meta Information Group Length follows "DICM" (PS3.10 7.1).
  return 144 + file.readUInt32LE(140);
}

/** The meta information's elements (explicit VR little endian, PS3.10 7.1) with their offsets. */
function* metaElements(
  meta: Buffer,
): Generator<{ element: number; start: number; valueStart: number; end: number }> {
  let offset = 144;
  while (offset + 8 <= meta.length) {
    const element = meta.readUInt16LE(offset + 2);
    const vr = meta.toString('latin1', offset + 4, offset + 6);
    const long = longLengthVrs.has(vr);
    const length = long ? meta.readUInt32LE(offset + 8) : meta.readUInt16LE(offset + 6);
    const valueStart = offset + (long ? 12 : 8);
    yield { element, start: offset, valueStart, end: valueStart + length };
    offset = valueStart + length;
  }
}

function metaTransferSyntax(file: Buffer, metaEnd: number): string {
  for (const { element, valueStart, end } of metaElements(file.subarray(0, metaEnd))) {
    if (element === 0x0010) return file.toString('latin1', valueStart, end).replace(/[\0 ]+$/, '');
  }
  throw new PacsError('DICOM_PARSE_ERROR', 'the file meta information has no Transfer Syntax UID');
}

function rewriteMeta(meta: Buffer, transferSyntaxUID: string): Buffer {
  const elements: Buffer[] = [];
  for (const { element, start, end } of metaElements(meta)) {
    if (element === 0x0000) continue;
    if (element === 0x0010) {
      const uid = Buffer.from(
        transferSyntaxUID.length % 2 === 0 ? transferSyntaxUID : `${transferSyntaxUID}\0`,
      );
      const header = Buffer.alloc(8);
      header.writeUInt16LE(0x0002, 0);
      header.writeUInt16LE(0x0010, 2);
      header.write('UI', 4, 'latin1');
      header.writeUInt16LE(uid.length, 6);
      elements.push(header, uid);
    } else {
      elements.push(meta.subarray(start, end));
    }
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

interface Reader {
  bytes: Buffer;
  explicitVR: boolean;
  littleEndian: boolean;
}

function reader(bytes: Buffer, encoding: TransferSyntaxEncoding): Reader {
  return { bytes, explicitVR: encoding.explicitVR, littleEndian: encoding.littleEndian };
}

interface Writer {
  explicitVR: boolean;
  out: Buffer[];
}

/**
 * Top-level values a decompression replaces, or inserts in tag order where the source had none.
 * Also remembers Pixel Representation, which decides the VR of "US or SS" attributes read implicitly.
 */
class Overrides {
  private next = 0;
  pixelRepresentation = 0;
  constructor(private readonly entries: Array<[tag: number, vr: string, value: Buffer]>) {
    entries.sort((a, b) => a[0] - b[0]);
  }
  /** Writes the overrides that come before `tag`; returns the replacement for `tag` itself, if any. */
  before(tag: number, writer: Writer): [string, Buffer] | undefined {
    while (this.next < this.entries.length) {
      const [overrideTag, vr, value] = this.entries[this.next] as [number, string, Buffer];
      if (overrideTag > tag) return undefined;
      this.next++;
      if (overrideTag === tag) return [vr, value];
      writer.out.push(
        elementHeader(overrideTag >>> 16, overrideTag & 0xffff, vr, value.length, writer.explicitVR),
        value,
      );
    }
    return undefined;
  }
  rest(writer: Writer): void {
    this.before(0xffffffff, writer);
  }
}

function u16(input: Reader, offset: number): number {
  return input.littleEndian ? input.bytes.readUInt16LE(offset) : input.bytes.readUInt16BE(offset);
}
function u32(input: Reader, offset: number): number {
  return input.littleEndian ? input.bytes.readUInt32LE(offset) : input.bytes.readUInt32BE(offset);
}

function itemTag(element: number, length: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeUInt16LE(0xfffe, 0);
  buffer.writeUInt16LE(element, 2);
  buffer.writeUInt32LE(length, 4);
  return buffer;
}

/**
 * Copies elements in [offset, end) (or up to an item delimiter); returns where it stopped.
 * `overrides` applies at the top level only (depth 0).
 */
function copyElements(
  input: Reader,
  offset: number,
  end: number,
  writer: Writer,
  depth: number,
  overrides: Overrides,
): number {
  if (depth > 32) throw new PacsError('DICOM_PARSE_ERROR', 'sequences nested too deeply');
  let position = offset;
  while (position < end && position + 8 <= input.bytes.length) {
    const group = u16(input, position);
    const element = u16(input, position + 2);
    if (group === 0xfffe && element === 0xe00d) return position + 8; // item delimiter
    const tagNumber = ((group << 16) | element) >>> 0;
    let vr: string;
    let length: number;
    let valueOffset: number;
    if (input.explicitVR) {
      vr = input.bytes.toString('latin1', position + 4, position + 6);
      if (longLengthVrs.has(vr)) {
        length = u32(input, position + 8);
        valueOffset = position + 12;
      } else {
        length = u16(input, position + 6);
        valueOffset = position + 8;
      }
    } else {
      const tag = tagNumber.toString(16).toUpperCase().padStart(8, '0');
      vr = tagNumber === pixelDataTag ? 'OW' : vrOf(tag);
      if (vr === 'US' && pixelRepresentationDependent.has(tagNumber) && overrides.pixelRepresentation === 1)
        vr = 'SS';
      length = u32(input, position + 4);
      valueOffset = position + 8;
    }
    if (depth === 0 && element !== 0x0000) {
      const replacement = overrides.before(tagNumber, writer);
      if (replacement) {
        const [replacementVR, value] = replacement;
        writer.out.push(elementHeader(group, element, replacementVR, value.length, writer.explicitVR), value);
        position = skipElement(input, vr, length, valueOffset, depth);
        continue;
      }
    }
    if (vr === 'SQ' || length === undefinedLength) {
      const itemInput = vr === 'UN' ? { ...input, explicitVR: false, littleEndian: true } : input;
      writer.out.push(elementHeader(group, element, 'SQ', undefinedLength, writer.explicitVR));
      position = copySequence(itemInput, valueOffset, length, writer, depth);
      writer.out.push(itemTag(0xe0dd, 0));
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
    if (depth === 0 && tagNumber === 0x00280103 && length >= 2)
      overrides.pixelRepresentation = value.readUInt16LE(0);
    const outVR = !longLengthVrs.has(vr) && length > 0xffff ? 'UN' : vr;
    if (element !== 0x0000)
      writer.out.push(elementHeader(group, element, outVR, length, writer.explicitVR), value);
    position = valueOffset + length;
  }
  if (depth === 0) overrides.rest(writer);
  return position;
}

/** Where an element that an override replaces ends. */
function skipElement(input: Reader, vr: string, length: number, valueOffset: number, depth: number): number {
  if (vr !== 'SQ' && length !== undefinedLength) return valueOffset + length;
  return copySequence(input, valueOffset, length, { explicitVR: true, out: [] }, depth);
}

function copySequence(input: Reader, offset: number, length: number, writer: Writer, depth: number): number {
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
    writer.out.push(itemTag(0xe000, undefinedLength));
    const itemEnd = itemLength === undefinedLength ? end : position + itemLength;
    position = copyElements(input, position, itemEnd, writer, depth + 1, new Overrides([]));
    writer.out.push(itemTag(0xe00d, 0));
  }
  return position;
}
