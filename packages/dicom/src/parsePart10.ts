import { Inflate, Unzlib } from 'fflate';
import { defaultMaxInflatedBytes, inflateLimited } from './inflateLimited.js';
import { numericAttribute } from './numericAttribute.js';
import { byteSwapWidth, longLengthVrs, swapBytes } from './valueRepresentationLayout.js';
import { encodeBase64 } from './base64.js';
import { characterSetValueRepresentations, decodeText } from './characterSet.js';
import type { DicomJsonAttribute, DicomJsonDataset, ValueRepresentation } from './dicomJson.js';
import { dictionaryVrOf, isPrivateCreatorTag, isValueRepresentation, toTag, vrOf } from './dictionary.js';
import { PacsError } from './pacsError.js';
import {
  explicitVrBigEndian,
  explicitVrLittleEndian,
  implicitVrLittleEndian,
  transferSyntaxEncoding,
} from './transferSyntax.js';
import { parseAttributeText } from './valueText.js';

/** Where a binary value sits in the data set, for a caller that wants to store it as bulk data. */
export interface BulkDataReference {
  /** Tags and sequence item indexes from the top level down to the attribute, e.g. ["00540016", 0, "00181072"]. */
  path: Array<string | number>;
  /** The attribute's tag (the last element of `path`). */
  tag: string;
  vr: ValueRepresentation;
  /** Length of the value in bytes (for encapsulated Pixel Data: the whole item stream). */
  byteLength: number;
  /** The value bytes (little endian byte order, as in InlineBinary). */
  bytes: Uint8Array;
}

export interface ParsePart10Options {
  /** Stop before the first top-level attribute with this tag or a greater one (e.g. "PixelData"). */
  untilTag?: string;
  /** Binary values longer than this (bytes) are offered to `bulkDataUri`. Default 0 (all binary values). */
  bulkDataThreshold?: number;
  /** Returns a BulkDataURI for a binary value, or undefined to keep it InlineBinary. */
  bulkDataUri?: (reference: BulkDataReference) => string | undefined;
  /** Largest inflated size of a deflated data set (a "zip bomb" guard). Default 1 GiB. */
  maxInflatedBytes?: number;
}

export interface Part10Parsed {
  /** File Meta Information (group 0002), without the group length. Empty when the file had none. */
  meta: DicomJsonDataset;
  dataset: DicomJsonDataset;
  /** The transfer syntax of the data set (guessed from the bytes when the file has no meta header). */
  transferSyntaxUID: string;
}

interface Encoding {
  explicitVr: boolean;
  littleEndian: boolean;
}

const maxNestingDepth = 64;
/**
 * Parses a DICOM Part 10 file (PS3.10 7.1) or a bare data set into DICOM JSON (PS3.18 F).
 *
 * Strings come out as Unicode (Specific Character Set applied), DS/IS as numbers, PN as component
 * groups; binary values as InlineBinary (little endian) or BulkDataURI. Encapsulated Pixel Data
 * (PS3.5 A.4) is kept losslessly: its InlineBinary is the item stream (Basic Offset Table item and
 * fragment items) without the sequence delimiter; `splitEncapsulatedPixelData` splits it.
 *
 * Throws `PacsError('DICOM_PARSE_ERROR')` for anything unreadable and
 * `PacsError('UNSUPPORTED_TRANSFER_SYNTAX')` for an unknown transfer syntax.
 */
export function parsePart10(bytes: Uint8Array, options: ParsePart10Options = {}): Part10Parsed {
  try {
    return new Part10Reader(bytes, options).read();
  } catch (error) {
    if (error instanceof PacsError) throw error;
    throw new PacsError('DICOM_PARSE_ERROR', `cannot parse DICOM: ${(error as Error)?.message ?? error}`, {
      cause: error,
    });
  }
}

function parseError(message: string, offset: number): PacsError {
  return new PacsError('DICOM_PARSE_ERROR', `${message} at byte ${offset}`, { details: { offset } });
}

interface Context {
  encoding: Encoding;
  characterSet: readonly string[];
  path: Array<string | number>;
  depth: number;
  /** Tags must ascend within a data set; enforced only when guessing a file without meta header. */
  strictOrder: boolean;
}

class Part10Reader {
  private bytes: Uint8Array;
  private view: DataView;
  private readonly untilTag: string | undefined;

  constructor(
    bytes: Uint8Array,
    private readonly options: ParsePart10Options,
  ) {
    if (!(bytes instanceof Uint8Array)) throw new PacsError('DICOM_PARSE_ERROR', 'input is not a Uint8Array');
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.untilTag = options.untilTag === undefined ? undefined : toTag(options.untilTag);
  }

  read(): Part10Parsed {
    let offset = 0;
    const hasPreamble = this.bytes.length >= 132 && this.ascii(128, 4) === 'DICM';
    if (hasPreamble) offset = 132;
    let meta: DicomJsonDataset = {};
    const metaPresent = hasPreamble || (this.bytes.length >= 8 && this.view.getUint16(0, true) === 0x0002);
    if (metaPresent) {
      const result = this.readMeta(offset);
      meta = result.meta;
      offset = result.end;
    }
    const declaredSyntax = firstString(meta['00020010']);
    let transferSyntaxUID: string;
    let encoding: Encoding;
    let deflated = false;
    if (declaredSyntax !== undefined && declaredSyntax !== '') {
      const known = transferSyntaxEncoding(declaredSyntax);
      if (known === undefined) {
        throw new PacsError(
          'UNSUPPORTED_TRANSFER_SYNTAX',
          `unknown transfer syntax ${declaredSyntax.slice(0, 64)}`,
          {
            details: { transferSyntaxUID: declaredSyntax.slice(0, 64) },
          },
        );
      }
      transferSyntaxUID = declaredSyntax;
      encoding = { explicitVr: known.explicitVr, littleEndian: known.littleEndian };
      deflated = known.deflated;
    } else {
      if (offset >= this.bytes.length) throw parseError('no data set', offset);
      encoding = this.guessEncoding(offset);
      transferSyntaxUID = !encoding.explicitVr
        ? implicitVrLittleEndian
        : encoding.littleEndian
          ? explicitVrLittleEndian
          : explicitVrBigEndian;
    }
    if (deflated) {
      const compressed = this.bytes.subarray(offset);
      const limit = this.options.maxInflatedBytes ?? defaultMaxInflatedBytes;
      let inflated: Uint8Array;
      try {
        inflated = inflateLimited(new Inflate(), compressed, limit);
      } catch (rawError) {
        if (rawError instanceof PacsError) throw rawError;
        try {
          // Some writers wrap the deflated data set in a zlib header; PS3.5 A.5 says raw DEFLATE.
          inflated = inflateLimited(new Unzlib(), compressed, limit);
        } catch (error) {
          if (error instanceof PacsError) throw error;
          throw new PacsError('DICOM_PARSE_ERROR', 'cannot inflate deflated data set', { cause: error });
        }
      }
      this.bytes = inflated;
      this.view = new DataView(inflated.buffer, inflated.byteOffset, inflated.byteLength);
      offset = 0;
    }
    if (
      encoding.explicitVr &&
      offset + 8 <= this.bytes.length &&
      !isValueRepresentation(this.ascii(offset + 4, 2))
    ) {
      // The meta header says explicit VR but the data set is implicit VR little endian (seen in files
      // from some converters); pydicom makes the same correction by looking at the first element.
      encoding = { explicitVr: false, littleEndian: true };
    }
    const context: Context = {
      encoding,
      characterSet: [],
      path: [],
      depth: 0,
      strictOrder: !metaPresent,
    };
    const { dataset } = this.readDataset(offset, this.bytes.length, context, 'top');
    if (!metaPresent && Object.keys(dataset).length === 0) throw parseError('no DICOM attributes found', 0);
    return { meta, dataset, transferSyntaxUID };
  }

  private ascii(offset: number, length: number): string {
    let text = '';
    for (let index = offset; index < offset + length && index < this.bytes.length; index++) {
      text += String.fromCharCode(this.bytes[index]!);
    }
    return text;
  }

  /** File Meta Information: explicit VR little endian elements of group 0002 (PS3.10 7.1). */
  private readMeta(start: number): { meta: DicomJsonDataset; end: number } {
    const meta: DicomJsonDataset = {};
    let offset = start;
    while (offset + 8 <= this.bytes.length && this.view.getUint16(offset, true) === 0x0002) {
      // Some writers encode the meta header in implicit VR; tolerate it element by element.
      const explicitVr = isValueRepresentation(this.ascii(offset + 4, 2));
      const context: Context = {
        encoding: { explicitVr, littleEndian: true },
        characterSet: [],
        path: [],
        depth: 0,
        strictOrder: false,
      };
      const element = this.readElement(offset, this.bytes.length, context, {});
      offset = element.end;
      if (element.tag !== '00020000' && element.attribute !== undefined)
        meta[element.tag] = element.attribute;
    }
    return { meta, end: offset };
  }

  /** A data set without meta header: explicit VR if a VR follows the first tag, else implicit VR LE. */
  private guessEncoding(offset: number): Encoding {
    if (offset + 8 > this.bytes.length) throw parseError('data set too short', offset);
    const explicitVr = isValueRepresentation(this.ascii(offset + 4, 2));
    if (!explicitVr) return { explicitVr: false, littleEndian: true };
    const littleGroup = this.view.getUint16(offset, true);
    const bigGroup = this.view.getUint16(offset, false);
    return { explicitVr: true, littleEndian: littleGroup <= bigGroup };
  }

  /**
   * Reads attributes from `start`: the top level up to `end`, a defined-length item up to `end`, an
   * undefined-length item up to its Item Delimitation Item (which must come before `end`).
   */
  private readDataset(
    start: number,
    end: number,
    context: Context,
    mode: 'top' | 'defined' | 'undefined',
  ): { dataset: DicomJsonDataset; end: number } {
    const topLevel = mode === 'top';
    const dataset: DicomJsonDataset = {};
    let offset = start;
    let previousTag = '';
    let itemContext = context;
    while (offset < end) {
      if (topLevel && this.isPadding(offset, end)) break;
      if (offset + 8 > end) throw parseError('truncated attribute header', offset);
      const group = this.view.getUint16(offset, context.encoding.littleEndian);
      const elementNumber = this.view.getUint16(offset + 2, context.encoding.littleEndian);
      if (group === 0xfffe) {
        if (elementNumber === 0xe00d && mode === 'undefined') return { dataset, end: offset + 8 };
        // Some writers end defined-length items with a delimiter too; it carries no data.
        if (elementNumber === 0xe00d && mode === 'defined' && offset + 8 === end) return { dataset, end };
        throw parseError('unexpected item or delimiter tag', offset);
      }
      const tag = hex4(group) + hex4(elementNumber);
      if (topLevel && this.untilTag !== undefined && tag >= this.untilTag) break;
      if (context.strictOrder && tag <= previousTag) throw parseError('attributes out of order', offset);
      previousTag = tag;
      const element = this.readElement(offset, end, itemContext, dataset);
      offset = element.end;
      if (element.attribute === undefined) continue;
      // Group lengths are not part of DICOM JSON (PS3.18 F.2.1); the writer recomputes meta's.
      if (element.tag.endsWith('0000')) continue;
      dataset[element.tag] = element.attribute;
      if (element.tag === '00080005') {
        const terms = (element.attribute.Value ?? []).map((value) =>
          typeof value === 'string' ? value : '',
        );
        itemContext = { ...itemContext, characterSet: terms };
      }
    }
    if (mode === 'top') return { dataset, end: offset };
    if (mode === 'undefined') throw parseError('item without delimiter', start);
    if (offset !== end) throw parseError('item overruns its length', offset);
    return { dataset, end: offset };
  }

  /** Where trailing zero bytes start (padding after the last attribute, seen in padded files). */
  private paddingStart: number | undefined;

  private isPadding(offset: number, end: number): boolean {
    // Computed once: scanning for zeros at every attribute would be quadratic on zero-filled input.
    if (this.paddingStart === undefined) {
      let start = end;
      while (start > 0 && this.bytes[start - 1] === 0) start--;
      this.paddingStart = start;
    }
    return offset >= this.paddingStart;
  }

  private readElement(
    start: number,
    end: number,
    context: Context,
    dataset: DicomJsonDataset,
  ): { tag: string; attribute: DicomJsonAttribute | undefined; end: number } {
    const littleEndian = context.encoding.littleEndian;
    const group = this.view.getUint16(start, littleEndian);
    const elementNumber = this.view.getUint16(start + 2, littleEndian);
    const tag = hex4(group) + hex4(elementNumber);
    let offset = start + 4;
    let vr: ValueRepresentation;
    let length: number;
    if (context.encoding.explicitVr) {
      const vrText = this.ascii(offset, 2);
      if (!isValueRepresentation(vrText)) throw parseError(`invalid VR for ${tag}`, offset);
      vr = vrText;
      if (longLengthVrs.has(vr)) {
        if (offset + 8 > end) throw parseError('truncated attribute header', offset);
        length = this.view.getUint32(offset + 4, littleEndian);
        offset += 8;
      } else {
        length = this.view.getUint16(offset + 2, littleEndian);
        offset += 4;
      }
    } else {
      length = this.view.getUint32(offset, littleEndian);
      offset += 4;
      vr = this.implicitVr(tag, length, dataset);
    }
    const path = [...context.path, tag];
    const undefinedLength = length === 0xffffffff;
    if (!undefinedLength && offset + length > end) {
      throw parseError(`value of ${tag} (${length} bytes) runs past the end of the data`, offset);
    }
    if (vr === 'SQ' || (vr === 'UN' && undefinedLength)) {
      // UN with undefined length is a sequence in implicit VR little endian (PS3.5 6.2.2 Note 3).
      const itemEncoding: Encoding =
        vr === 'UN' ? { explicitVr: false, littleEndian: true } : context.encoding;
      const sequence = this.readSequence(offset, end, length, { ...context, encoding: itemEncoding, path });
      return { tag, attribute: sequence.attribute, end: sequence.end };
    }
    if (undefinedLength) {
      // Encapsulated Pixel Data (or another undefined-length binary value): keep the item stream as is.
      const itemsEnd = this.scanEncapsulated(offset, end, littleEndian);
      const value = this.bytes.subarray(offset, itemsEnd.itemsEnd);
      return {
        tag,
        attribute: this.binaryAttribute(vr === 'OW' ? 'OB' : vr, value, path),
        end: itemsEnd.end,
      };
    }
    const value = this.bytes.subarray(offset, offset + length);
    return { tag, attribute: this.valueAttribute(tag, vr, value, context, path), end: offset + length };
  }

  private implicitVr(tag: string, length: number, dataset: DicomJsonDataset): ValueRepresentation {
    if (tag === '7FE00010') return 'OW';
    const dictionaryVr = dictionaryVrOf(tag);
    if (dictionaryVr === 'xs') {
      // US or SS: signed when Pixel Representation (0028,0103) is 1.
      return firstNumber(dataset['00280103']) === 1 ? 'SS' : 'US';
    }
    if (isPrivateCreatorTag(tag)) return 'LO';
    const vr = vrOf(tag);
    if (vr === 'UN' && length === 0xffffffff) return 'SQ';
    return vr;
  }

  private readSequence(
    start: number,
    end: number,
    length: number,
    context: Context,
  ): { attribute: DicomJsonAttribute; end: number } {
    if (context.depth >= maxNestingDepth) throw parseError('sequences nested too deeply', start);
    const littleEndian = context.encoding.littleEndian;
    const undefinedLength = length === 0xffffffff;
    const sequenceEnd = undefinedLength ? end : start + length;
    const items: DicomJsonDataset[] = [];
    let offset = start;
    while (offset < sequenceEnd) {
      if (offset + 8 > sequenceEnd) throw parseError('truncated sequence item', offset);
      const group = this.view.getUint16(offset, littleEndian);
      const elementNumber = this.view.getUint16(offset + 2, littleEndian);
      const itemLength = this.view.getUint32(offset + 4, littleEndian);
      if (group === 0xfffe && elementNumber === 0xe0dd) {
        if (!undefinedLength) throw parseError('sequence delimiter in a defined-length sequence', offset);
        return { attribute: { vr: 'SQ', Value: items }, end: offset + 8 };
      }
      if (group !== 0xfffe || elementNumber !== 0xe000) throw parseError('expected a sequence item', offset);
      const itemStart = offset + 8;
      const itemContext: Context = {
        ...context,
        path: [...context.path, items.length],
        depth: context.depth + 1,
        strictOrder: false,
      };
      if (itemLength === 0xffffffff) {
        const item = this.readDataset(itemStart, sequenceEnd, itemContext, 'undefined');
        items.push(item.dataset);
        offset = item.end;
      } else {
        if (itemStart + itemLength > sequenceEnd) throw parseError('item runs past its sequence', offset);
        const item = this.readDataset(itemStart, itemStart + itemLength, itemContext, 'defined');
        items.push(item.dataset);
        offset = itemStart + itemLength;
      }
    }
    if (undefinedLength) throw parseError('sequence without delimiter', start);
    return { attribute: { vr: 'SQ', Value: items }, end: offset };
  }

  /** Walks the items of an encapsulated value (PS3.5 A.4) up to its sequence delimiter. */
  private scanEncapsulated(
    start: number,
    end: number,
    littleEndian: boolean,
  ): { itemsEnd: number; end: number } {
    let offset = start;
    while (offset + 8 <= end) {
      const group = this.view.getUint16(offset, littleEndian);
      const elementNumber = this.view.getUint16(offset + 2, littleEndian);
      const length = this.view.getUint32(offset + 4, littleEndian);
      if (group === 0xfffe && elementNumber === 0xe0dd) return { itemsEnd: offset, end: offset + 8 };
      if (group !== 0xfffe || elementNumber !== 0xe000) throw parseError('expected a fragment item', offset);
      if (length === 0xffffffff || offset + 8 + length > end)
        throw parseError('fragment runs past the end', offset);
      offset += 8 + length;
    }
    throw parseError('encapsulated value without sequence delimiter', start);
  }

  private binaryAttribute(
    vr: ValueRepresentation,
    value: Uint8Array,
    path: Array<string | number>,
  ): DicomJsonAttribute {
    const threshold = this.options.bulkDataThreshold ?? 0;
    if (this.options.bulkDataUri !== undefined && value.length > threshold) {
      const uri = this.options.bulkDataUri({
        path,
        tag: String(path[path.length - 1]),
        vr,
        byteLength: value.length,
        bytes: value,
      });
      if (uri !== undefined) return { vr, BulkDataURI: uri };
    }
    if (value.length === 0) return { vr };
    return { vr, InlineBinary: encodeBase64(value) };
  }

  private valueAttribute(
    tag: string,
    vr: ValueRepresentation,
    raw: Uint8Array,
    context: Context,
    path: Array<string | number>,
  ): DicomJsonAttribute {
    const littleEndian = context.encoding.littleEndian;
    switch (vr) {
      case 'OB':
      case 'UN':
        return this.binaryAttribute(vr, raw, path);
      case 'OW':
      case 'OF':
      case 'OL':
      case 'OD':
      case 'OV': {
        const width = byteSwapWidth[vr]!;
        if (littleEndian || raw.length % width !== 0) return this.binaryAttribute(vr, raw, path);
        // InlineBinary is little endian (PS3.18 F.2.7); swap big endian words.
        const swapped = swapBytes(raw, width);
        return this.binaryAttribute(vr, swapped, path);
      }
      case 'US':
      case 'SS':
      case 'UL':
      case 'SL':
      case 'FL':
      case 'FD':
      case 'SV':
      case 'UV':
      case 'AT':
        return numericAttribute(tag, vr, raw, littleEndian);
      default: {
        if (raw.length === 0) return { vr };
        const text = characterSetValueRepresentations.has(vr)
          ? decodeText(raw, context.characterSet)
          : decodeText(raw, []);
        const values = parseAttributeText(vr, text);
        return values.length === 0 ? { vr } : { vr, Value: values };
      }
    }
  }
}

const hexByte = Array.from({ length: 256 }, (_, byte) => byte.toString(16).toUpperCase().padStart(2, '0'));

function hex4(value: number): string {
  return hexByte[value >> 8]! + hexByte[value & 255]!;
}

function firstString(attribute: DicomJsonAttribute | undefined): string | undefined {
  const value = attribute?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
}

function firstNumber(attribute: DicomJsonAttribute | undefined): number | undefined {
  const value = attribute?.Value?.[0];
  return typeof value === 'number' ? value : undefined;
}
