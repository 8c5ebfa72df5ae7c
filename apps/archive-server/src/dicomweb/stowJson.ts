import {
  type DicomJsonAttribute,
  type DicomJsonDataset,
  PacsError,
  isPacsError,
  transferSyntaxEncoding,
  writePart10,
} from '@pacskit/dicom';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { IngestService, StoreOutcome } from '../services/IngestService.js';
import { parseContentType, parseMultipartRelated } from './multipartRelated.js';
import { principalOf } from './requestContext.js';
import { type StowSlot, outcomesInOrder } from './stowOutcomes.js';

const dicomJson = 'application/dicom+json';
const explicitVrLittleEndian = '1.2.840.10008.1.2.1';
/** STOW of DICOM JSON builds each Part 10 file in memory (writePart10), so the request is capped. */
export const maxDicomJsonStowBytes = 256 * 1024 * 1024;

/** True for the two DICOM JSON flavours of STOW-RS (PS3.18 10.5.1.2): bare JSON, or JSON + bulk data parts. */
export function isDicomJsonStow(mediaType: string, type: string | undefined): boolean {
  return mediaType === dicomJson || (mediaType === 'multipart/related' && type?.toLowerCase() === dicomJson);
}

interface BulkPart {
  bytes: Buffer;
  mediaType: string;
  /** The `transfer-syntax` parameter of a compressed pixel data part (PS3.18 8.7.3.5). */
  transferSyntaxUID: string | undefined;
}

/**
 * STOW-RS of DICOM JSON (PS3.18 10.5.1.2, F.2): the first part (or the whole body) is a JSON
 * array of data sets; binary values are InlineBinary or a BulkDataURI naming another part by its
 * Content-Location. Each data set becomes a Part 10 file (@pacskit/dicom writePart10) in Explicit
 * VR Little Endian, or in the transfer syntax of its compressed Pixel Data part (one fragment,
 * single frame), and goes through the same ingest batch as application/dicom parts. A data set
 * that cannot be built (missing UIDs, a bulk data part that is not there, values writePart10
 * refuses) becomes a failure item; unparseable JSON fails the whole request as one item.
 */
export async function storeDicomJson(
  request: FastifyRequest,
  ingest: IngestService,
  options: { mediaType: string; parameters: Record<string, string>; expectedStudy: string | undefined },
): Promise<StoreOutcome[]> {
  const body = request.body as AsyncIterable<Uint8Array>;
  const budget = { remaining: maxDicomJsonStowBytes };
  let jsonBytes: Buffer | undefined;
  const bulk = new Map<string, BulkPart>();
  if (options.mediaType === dicomJson) {
    jsonBytes = await readAll(body, budget);
  } else {
    const boundary = options.parameters.boundary;
    if (!boundary)
      throw new PacsError('UNSUPPORTED_MEDIA_TYPE', 'the multipart Content-Type has no boundary');
    for await (const part of parseMultipartRelated(body, boundary)) {
      const bytes = await readAll(part.body, budget);
      const { mediaType, parameters } = parseContentType(part.headers['content-type'] ?? dicomJson);
      if (jsonBytes === undefined) {
        if (mediaType !== dicomJson) {
          throw new PacsError('UNSUPPORTED_MEDIA_TYPE', 'the first part must be application/dicom+json', {
            details: { mediaType },
          });
        }
        jsonBytes = bytes;
        continue;
      }
      const location = part.headers['content-location'];
      if (location === undefined) {
        request.log.warn('a STOW-RS bulk data part without Content-Location was ignored');
        continue;
      }
      bulk.set(location, { bytes, mediaType, transferSyntaxUID: parameters['transfer-syntax'] });
    }
  }
  if (jsonBytes === undefined) throw new PacsError('INVALID_ARGUMENT', 'the multipart body has no parts');

  let datasets: unknown;
  try {
    datasets = JSON.parse(jsonBytes.toString('utf8'));
  } catch {
    return [failed(new PacsError('INVALID_ARGUMENT', 'the DICOM JSON part is not valid JSON'))];
  }
  if (!Array.isArray(datasets)) {
    return [failed(new PacsError('INVALID_ARGUMENT', 'DICOM JSON for STOW-RS is an array of data sets'))];
  }
  if (datasets.length === 0) throw new PacsError('INVALID_ARGUMENT', 'the DICOM JSON array is empty');

  const batch = ingest.createBatch();
  const order: StowSlot[] = [];
  const principal = principalOf(request);
  for (const dataset of datasets) {
    let part10: Uint8Array;
    try {
      part10 = toPart10(dataset, bulk);
    } catch (error) {
      // Malformed JSON values (null attributes, nesting deep enough to exhaust the stack) are the
      // client's error like any other.
      const failure = isPacsError(error)
        ? error
        : new PacsError('INVALID_ARGUMENT', 'the data set is not valid DICOM JSON', { cause: error });
      order.push(failed(failure, dataset));
      continue;
    }
    order.push('batch');
    await batch.add({
      stream: Readable.from([Buffer.from(part10.buffer, part10.byteOffset, part10.byteLength)]),
      ...(options.expectedStudy !== undefined ? { expectedStudyInstanceUID: options.expectedStudy } : {}),
      source: { protocol: 'STOW-RS', remoteAddress: request.ip },
      principal,
    });
  }
  return outcomesInOrder(order, await batch.commit(), request.log);
}

/** One DICOM JSON data set to Part 10 bytes, its BulkDataURIs replaced by the parts' bytes. */
function toPart10(input: unknown, bulk: Map<string, BulkPart>): Uint8Array {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new PacsError('INVALID_ARGUMENT', 'an element of the DICOM JSON array is not a data set');
  }
  const source = input as DicomJsonDataset;
  for (const [tag, name] of [
    ['00080016', 'SOPClassUID'],
    ['00080018', 'SOPInstanceUID'],
    ['0020000D', 'StudyInstanceUID'],
    ['0020000E', 'SeriesInstanceUID'],
  ] as const) {
    if (typeof uidOf(source, tag) !== 'string') {
      throw new PacsError('MISSING_ATTRIBUTE', `the data set has no ${name}`, { details: { tag } });
    }
  }
  let transferSyntaxUID = explicitVrLittleEndian;
  const dataset: DicomJsonDataset = {};
  for (const [tag, attribute] of Object.entries(source)) {
    // File meta information is generated by writePart10; AvailableTransferSyntaxUID describes a
    // retrieval, not the instance.
    if (tag.startsWith('0002') || tag === '00083002') continue;
    if (tag === '7FE00010' && attribute.BulkDataURI !== undefined) {
      const part = bulkPart(bulk, attribute.BulkDataURI, tag);
      const syntax = compressedSyntax(part);
      if (syntax !== undefined) {
        const frames = Number(source['00280008']?.Value?.[0] ?? 1);
        if (frames > 1) {
          throw new PacsError('NOT_SUPPORTED', 'compressed multi-frame Pixel Data in one bulk data part', {
            details: { tag },
          });
        }
        transferSyntaxUID = syntax;
        dataset[tag] = { vr: 'OB', InlineBinary: encapsulate(part.bytes) };
        continue;
      }
    }
    dataset[tag] = resolveAttribute(attribute, tag, bulk);
  }
  return writePart10({ dataset, transferSyntaxUID });
}

function resolveAttribute(
  attribute: DicomJsonAttribute,
  tag: string,
  bulk: Map<string, BulkPart>,
): DicomJsonAttribute {
  if (attribute.BulkDataURI !== undefined) {
    const { BulkDataURI, ...rest } = attribute;
    return { ...rest, InlineBinary: bulkPart(bulk, BulkDataURI, tag).bytes.toString('base64') };
  }
  if (attribute.vr === 'SQ' && Array.isArray(attribute.Value)) {
    return {
      ...attribute,
      Value: attribute.Value.map((item) => {
        if (typeof item !== 'object' || item === null) return item;
        const resolved: DicomJsonDataset = {};
        for (const [itemTag, itemAttribute] of Object.entries(item as DicomJsonDataset)) {
          resolved[itemTag] = resolveAttribute(itemAttribute, itemTag, bulk);
        }
        return resolved;
      }),
    };
  }
  return attribute;
}

function bulkPart(bulk: Map<string, BulkPart>, uri: string, tag: string): BulkPart {
  const part = bulk.get(uri);
  if (!part) {
    throw new PacsError(
      'INVALID_ARGUMENT',
      'a BulkDataURI names no part of the request (by Content-Location)',
      {
        details: { tag },
      },
    );
  }
  return part;
}

/** Transfer syntax of a compressed media type without a transfer-syntax parameter (PS3.18 Table 8.7.3-5). */
const defaultSyntaxOfMediaType: Record<string, string> = {
  'image/jpeg': '1.2.840.10008.1.2.4.50',
  'image/jls': '1.2.840.10008.1.2.4.80',
  'image/jp2': '1.2.840.10008.1.2.4.90',
  'image/jphc': '1.2.840.10008.1.2.4.201',
  'image/dicom-rle': '1.2.840.10008.1.2.5',
  'image/x-dicom-rle': '1.2.840.10008.1.2.5',
};

/** The transfer syntax of a compressed pixel data part; undefined for native bytes (octet-stream). */
function compressedSyntax(part: BulkPart): string | undefined {
  if (part.mediaType === 'application/octet-stream') {
    if (part.transferSyntaxUID === undefined || part.transferSyntaxUID === explicitVrLittleEndian)
      return undefined;
  }
  const uid = part.transferSyntaxUID ?? defaultSyntaxOfMediaType[part.mediaType];
  if (uid === undefined) {
    throw new PacsError(
      'INVALID_ARGUMENT',
      'a compressed Pixel Data part needs a transfer-syntax parameter',
      {
        details: { mediaType: part.mediaType },
      },
    );
  }
  const encoding = transferSyntaxEncoding(uid);
  if (encoding === undefined) {
    throw new PacsError('UNSUPPORTED_TRANSFER_SYNTAX', 'unknown transfer syntax of a Pixel Data part', {
      details: { transferSyntaxUID: uid.slice(0, 64) },
    });
  }
  return encoding.encapsulated ? uid : undefined;
}

/** One frame as encapsulated Pixel Data: empty Basic Offset Table, one even-length fragment (PS3.5 A.4). */
function encapsulate(frame: Buffer): string {
  const padded = frame.length % 2 === 0 ? frame : Buffer.concat([frame, Buffer.alloc(1)]);
  const item = (length: number) => {
    const header = Buffer.alloc(8);
    header.writeUInt16LE(0xfffe, 0);
    header.writeUInt16LE(0xe000, 2);
    header.writeUInt32LE(length, 4);
    return header;
  };
  return Buffer.concat([item(0), item(padded.length), padded]).toString('base64');
}

function uidOf(dataset: DicomJsonDataset, tag: string): unknown {
  return dataset[tag]?.Value?.[0];
}

function failed(failure: PacsError, dataset?: unknown): StoreOutcome {
  const known = typeof dataset === 'object' && dataset !== null ? (dataset as DicomJsonDataset) : {};
  const text = (tag: string) => {
    const value = uidOf(known, tag);
    return typeof value === 'string' ? value : undefined;
  };
  return {
    status: 'failed',
    sopClassUID: text('00080016'),
    sopInstanceUID: text('00080018'),
    studyInstanceUID: text('0020000D'),
    warnings: [],
    failure,
  };
}

async function readAll(source: AsyncIterable<Uint8Array>, budget: { remaining: number }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) {
    budget.remaining -= chunk.length;
    if (budget.remaining < 0) {
      throw new PacsError('PAYLOAD_TOO_LARGE', 'a DICOM JSON STOW-RS request is limited to 256 MiB', {
        details: { limitBytes: maxDicomJsonStowBytes },
      });
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks);
}
