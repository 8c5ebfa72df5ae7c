import { deflateSync } from 'fflate';
import { decodeBase64 } from './base64.js';
import { ByteSink } from './byteSink.js';
import { characterSetValueRepresentations, encodeText } from './characterSet.js';
import type {
  DicomJsonAttribute,
  DicomJsonDataset,
  DicomJsonValue,
  ValueRepresentation,
} from './dicomJson.js';
import { PacsError } from './pacsError.js';
import { explicitVrLittleEndian, transferSyntaxEncoding } from './transferSyntax.js';
import { byteSwapWidth, longLengthVrs, swapBytes } from './valueRepresentationLayout.js';
import { formatAttributeText } from './valueText.js';

export interface WritePart10Input {
  dataset: DicomJsonDataset;
  /** File Meta Information; generated from the data set when missing. */
  meta?: DicomJsonDataset;
  /** Transfer syntax of the written data set. Default: meta's (0002,0010), else Explicit VR Little Endian. */
  transferSyntaxUID?: string;
}

/** The PacsKit implementation, written into (0002,0012) of generated meta headers. */
export const implementationClassUID = '2.25.163371498425412926374567096146937408163';
export const implementationVersionName = 'PACSKIT_0_1';

interface Encoding {
  explicitVr: boolean;
  littleEndian: boolean;
  encapsulated: boolean;
}

/**
 * Writes a DICOM Part 10 file (PS3.10 7.1): 128-byte preamble, "DICM", File Meta Information in
 * explicit VR little endian with its group length, then the data set in the transfer syntax.
 * Sequences and items are written with undefined length. Text is encoded in the data set's Specific
 * Character Set; when a value cannot be encoded in it, the whole data set is written as UTF-8 and
 * (0008,0005) becomes "ISO_IR 192".
 *
 * Throws `PacsError('UNSUPPORTED_TRANSFER_SYNTAX')` for an unknown transfer syntax and
 * `PacsError('INVALID_ARGUMENT')` for values that cannot be written (a BulkDataURI without bytes,
 * a value too long for its VR).
 */
export function writePart10(input: WritePart10Input): Uint8Array {
  try {
    return writePart10Unchecked(input);
  } catch (error) {
    if (error instanceof PacsError) throw error;
    // Malformed DICOM JSON (a string where a data set belongs, numbers out of range, …).
    throw new PacsError('INVALID_ARGUMENT', `cannot write DICOM: ${(error as Error)?.message ?? error}`, {
      cause: error,
    });
  }
}

function writePart10Unchecked(input: WritePart10Input): Uint8Array {
  const metaSyntax = input.meta?.['00020010']?.Value?.[0];
  const transferSyntaxUID =
    input.transferSyntaxUID ?? (typeof metaSyntax === 'string' ? metaSyntax : explicitVrLittleEndian);
  const syntax = transferSyntaxEncoding(transferSyntaxUID);
  if (syntax === undefined) {
    throw new PacsError(
      'UNSUPPORTED_TRANSFER_SYNTAX',
      `unknown transfer syntax ${transferSyntaxUID.slice(0, 64)}`,
    );
  }
  const meta = buildMeta(input.dataset, input.meta, transferSyntaxUID);
  const sink = new ByteSink();
  sink.bytes(new Uint8Array(128));
  sink.ascii('DICM');
  const metaSink = new ByteSink();
  const metaEncoding: Encoding = { explicitVr: true, littleEndian: true, encapsulated: false };
  writeDataset(metaSink, meta, metaEncoding, []);
  writeHeader(sink, '00020000', 'UL', 4, metaEncoding);
  sink.uint32(metaSink.length, true);
  sink.bytes(metaSink.toBytes());

  const encoding: Encoding = {
    explicitVr: syntax.explicitVr,
    littleEndian: syntax.littleEndian,
    encapsulated: syntax.encapsulated,
  };
  const datasetSink = new ByteSink();
  const characterSet = characterSetOf(input.dataset);
  if (canEncodeAll(input.dataset, characterSet)) {
    writeDataset(datasetSink, input.dataset, encoding, characterSet);
  } else {
    writeDataset(datasetSink, withUtf8CharacterSet(input.dataset, true), encoding, ['ISO_IR 192']);
  }
  const body = datasetSink.toBytes();
  sink.bytes(syntax.deflated ? deflateSync(body) : body);
  return sink.toBytes();
}

function buildMeta(
  dataset: DicomJsonDataset,
  given: DicomJsonDataset | undefined,
  transferSyntaxUID: string,
): DicomJsonDataset {
  const meta: DicomJsonDataset = {};
  for (const [tag, attribute] of Object.entries(given ?? {})) {
    if (tag.startsWith('0002') && tag !== '00020000') meta[tag] = attribute;
  }
  meta['00020001'] ??= { vr: 'OB', InlineBinary: 'AAE=' };
  const sopClass = dataset['00080016']?.Value?.[0];
  const sopInstance = dataset['00080018']?.Value?.[0];
  if (meta['00020002'] === undefined && typeof sopClass === 'string') {
    meta['00020002'] = { vr: 'UI', Value: [sopClass] };
  }
  if (meta['00020003'] === undefined && typeof sopInstance === 'string') {
    meta['00020003'] = { vr: 'UI', Value: [sopInstance] };
  }
  meta['00020010'] = { vr: 'UI', Value: [transferSyntaxUID] };
  meta['00020012'] ??= { vr: 'UI', Value: [implementationClassUID] };
  meta['00020013'] ??= { vr: 'SH', Value: [implementationVersionName] };
  return meta;
}

/** The data set with (0008,0005) "ISO_IR 192" at the top and in every item that declared its own. */
function withUtf8CharacterSet(dataset: DicomJsonDataset, topLevel: boolean): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const [tag, attribute] of Object.entries(dataset)) {
    out[tag] =
      attribute.vr === 'SQ'
        ? {
            ...attribute,
            Value: (attribute.Value ?? []).map((item) =>
              item !== null && typeof item === 'object'
                ? withUtf8CharacterSet(item as DicomJsonDataset, false)
                : item,
            ),
          }
        : attribute;
  }
  if (topLevel || out['00080005'] !== undefined) out['00080005'] = { vr: 'CS', Value: ['ISO_IR 192'] };
  return out;
}

function characterSetOf(dataset: DicomJsonDataset): string[] {
  return (dataset['00080005']?.Value ?? []).map((value) => (typeof value === 'string' ? value : ''));
}

function canEncodeAll(dataset: DicomJsonDataset, characterSet: readonly string[]): boolean {
  for (const [tag, attribute] of Object.entries(dataset)) {
    if (attribute.vr === 'SQ') {
      for (const item of attribute.Value ?? []) {
        if (item === null || typeof item !== 'object') continue;
        const itemDataset = item as DicomJsonDataset;
        const itemSet = itemDataset['00080005'] === undefined ? characterSet : characterSetOf(itemDataset);
        if (!canEncodeAll(itemDataset, itemSet)) return false;
      }
      continue;
    }
    if (!characterSetValueRepresentations.has(attribute.vr) || tag === '00080005') continue;
    const text = formatAttributeText(attribute.vr, attribute.Value ?? []);
    if (encodeText(text, characterSet) === undefined) return false;
  }
  return true;
}

function writeHeader(
  sink: ByteSink,
  tag: string,
  vr: ValueRepresentation,
  length: number,
  encoding: Encoding,
): void {
  sink.uint16(Number.parseInt(tag.slice(0, 4), 16), encoding.littleEndian);
  sink.uint16(Number.parseInt(tag.slice(4, 8), 16), encoding.littleEndian);
  if (!encoding.explicitVr) {
    sink.uint32(length, encoding.littleEndian);
    return;
  }
  sink.ascii(vr);
  if (longLengthVrs.has(vr)) {
    sink.uint16(0, encoding.littleEndian);
    sink.uint32(length, encoding.littleEndian);
  } else {
    if (length > 0xffff) {
      throw new PacsError('INVALID_ARGUMENT', `value of ${tag} is too long for VR ${vr}`, {
        details: { tag },
      });
    }
    sink.uint16(length, encoding.littleEndian);
  }
}

function writeDataset(
  sink: ByteSink,
  dataset: DicomJsonDataset,
  encoding: Encoding,
  characterSet: readonly string[],
): void {
  const ownSet = dataset['00080005'] === undefined ? characterSet : characterSetOf(dataset);
  for (const tag of Object.keys(dataset).sort()) {
    if (!/^[0-9A-F]{8}$/.test(tag)) {
      throw new PacsError('INVALID_ARGUMENT', `not a DICOM JSON tag: ${tag.slice(0, 16)}`);
    }
    if (tag.endsWith('0000')) continue;
    writeAttribute(sink, tag, dataset[tag]!, encoding, ownSet);
  }
}

function writeAttribute(
  sink: ByteSink,
  tag: string,
  attribute: DicomJsonAttribute,
  encoding: Encoding,
  characterSet: readonly string[],
): void {
  const vr = attribute.vr;
  if (vr === 'SQ') {
    writeHeader(sink, tag, vr, 0xffffffff, encoding);
    for (const item of attribute.Value ?? []) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new PacsError('INVALID_ARGUMENT', `items of ${tag} must be data sets`, { details: { tag } });
      }
      sink.uint16(0xfffe, encoding.littleEndian);
      sink.uint16(0xe000, encoding.littleEndian);
      sink.uint32(0xffffffff, encoding.littleEndian);
      if (item !== null && typeof item === 'object')
        writeDataset(sink, item as DicomJsonDataset, encoding, characterSet);
      sink.uint16(0xfffe, encoding.littleEndian);
      sink.uint16(0xe00d, encoding.littleEndian);
      sink.uint32(0, encoding.littleEndian);
    }
    sink.uint16(0xfffe, encoding.littleEndian);
    sink.uint16(0xe0dd, encoding.littleEndian);
    sink.uint32(0, encoding.littleEndian);
    return;
  }
  if (attribute.BulkDataURI !== undefined && attribute.InlineBinary === undefined) {
    throw new PacsError(
      'INVALID_ARGUMENT',
      `attribute ${tag} has only a BulkDataURI; fetch its bytes first`,
      {
        details: { tag },
      },
    );
  }
  if (attribute.InlineBinary !== undefined) {
    const bytes = decodeBase64(attribute.InlineBinary);
    if (bytes === undefined) {
      throw new PacsError('INVALID_ARGUMENT', `InlineBinary of ${tag} is not base64`, { details: { tag } });
    }
    if (tag === '7FE00010' && encoding.encapsulated && !looksLikeItemStream(bytes)) {
      // PS3.5 A.4: encapsulated transfer syntaxes need fragments; writing native pixels there corrupts the file.
      throw new PacsError(
        'INVALID_ARGUMENT',
        'Pixel Data is not encapsulated but the transfer syntax needs it',
        {
          details: { tag },
        },
      );
    }
    if (tag === '7FE00010' && encoding.encapsulated) {
      // Encapsulated Pixel Data: the item stream as parsed, undefined length, sequence delimiter (PS3.5 A.4).
      writeHeader(sink, tag, vr === 'OW' ? 'OB' : vr, 0xffffffff, encoding);
      sink.bytes(bytes);
      sink.uint16(0xfffe, encoding.littleEndian);
      sink.uint16(0xe0dd, encoding.littleEndian);
      sink.uint32(0, encoding.littleEndian);
      return;
    }
    const width = byteSwapWidth[vr];
    const value = !encoding.littleEndian && width !== undefined ? swapBytes(bytes, width) : bytes;
    writeValue(sink, tag, vr, value, encoding);
    return;
  }
  writeValue(sink, tag, vr, encodeValues(tag, vr, attribute.Value ?? [], encoding, characterSet), encoding);
}

function writeValue(
  sink: ByteSink,
  tag: string,
  vr: ValueRepresentation,
  value: Uint8Array,
  encoding: Encoding,
): void {
  const padded = value.length % 2 === 0 ? value : padToEven(value, vr === 'UI' || isBinary(vr) ? 0 : 0x20);
  writeHeader(sink, tag, vr, padded.length, encoding);
  sink.bytes(padded);
}

function isBinary(vr: ValueRepresentation): boolean {
  return (
    vr === 'OB' || vr === 'OW' || vr === 'OD' || vr === 'OF' || vr === 'OL' || vr === 'OV' || vr === 'UN'
  );
}

function padToEven(value: Uint8Array, pad: number): Uint8Array {
  const padded = new Uint8Array(value.length + 1);
  padded.set(value);
  padded[value.length] = pad;
  return padded;
}

function looksLikeItemStream(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 8 && bytes[0] === 0xfe && bytes[1] === 0xff && bytes[2] === 0x00 && bytes[3] === 0xe0
  );
}

function encodeValues(
  tag: string,
  vr: ValueRepresentation,
  values: readonly DicomJsonValue[],
  encoding: Encoding,
  characterSet: readonly string[],
): Uint8Array {
  const littleEndian = encoding.littleEndian;
  const numeric = numericWidth(vr);
  if (numeric !== undefined) {
    const out = new Uint8Array(values.length * numeric);
    const view = new DataView(out.buffer);
    values.forEach((value, index) => {
      const offset = index * numeric;
      if (vr === 'AT') {
        const text = typeof value === 'string' ? value.replace(/[(),\s]/g, '') : '';
        if (!/^[0-9A-Fa-f]{8}$/.test(text)) {
          throw new PacsError('INVALID_ARGUMENT', `AT value of ${tag} is not a tag`, { details: { tag } });
        }
        view.setUint16(offset, Number.parseInt(text.slice(0, 4), 16), littleEndian);
        view.setUint16(offset + 2, Number.parseInt(text.slice(4), 16), littleEndian);
        return;
      }
      const number =
        typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
      if (vr === 'SV' || vr === 'UV') {
        const big = BigInt(typeof value === 'string' ? value : Math.trunc(number));
        if (vr === 'SV') view.setBigInt64(offset, big, littleEndian);
        else view.setBigUint64(offset, big, littleEndian);
        return;
      }
      if (Number.isNaN(number) && vr !== 'FL' && vr !== 'FD') {
        throw new PacsError('INVALID_ARGUMENT', `value of ${tag} is not a number`, { details: { tag } });
      }
      switch (vr) {
        case 'US':
          view.setUint16(offset, number, littleEndian);
          break;
        case 'SS':
          view.setInt16(offset, number, littleEndian);
          break;
        case 'UL':
          view.setUint32(offset, number, littleEndian);
          break;
        case 'SL':
          view.setInt32(offset, number, littleEndian);
          break;
        case 'FL':
          view.setFloat32(offset, number, littleEndian);
          break;
        default:
          view.setFloat64(offset, number, littleEndian);
      }
    });
    return out;
  }
  if (isBinary(vr)) return new Uint8Array(0);
  const text = formatAttributeText(vr, values);
  const bytes = characterSetValueRepresentations.has(vr)
    ? encodeText(text, characterSet)
    : encodeText(text, []);
  if (bytes === undefined) {
    throw new PacsError('INVALID_ARGUMENT', `value of ${tag} cannot be encoded in its character set`, {
      details: { tag },
    });
  }
  return bytes;
}

function numericWidth(vr: ValueRepresentation): number | undefined {
  switch (vr) {
    case 'US':
    case 'SS':
      return 2;
    case 'UL':
    case 'SL':
    case 'FL':
    case 'AT':
      return 4;
    case 'FD':
    case 'SV':
    case 'UV':
      return 8;
    default:
      return undefined;
  }
}
