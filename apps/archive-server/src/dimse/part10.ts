import { Readable } from 'node:stream';
import { implementationClassUID, implementationVersionName, longLengthVrs, PacsError } from '@pacskit/dicom';
import { elementHeader } from '../part10/elementHeader.js';

/** PacsKit's one Implementation Class UID and version name (PS3.7 D.3.3.2), as @pacskit/dicom writes them. */
export { implementationClassUID, implementationVersionName } from '@pacskit/dicom';

export interface FileMetaInformation {
  mediaStorageSOPClassUID: string;
  mediaStorageSOPInstanceUID: string;
  transferSyntaxUID: string;
  sourceApplicationEntityTitle?: string;
}

function element(group: number, elementNumber: number, vr: string, value: Buffer): Buffer {
  return Buffer.concat([elementHeader(group, elementNumber, vr, value.length, true), value]);
}

/** UI values pad with NUL, other strings with a space, to even length (PS3.5 6.2). */
function text(value: string, padding: '\0' | ' '): Buffer {
  return Buffer.from(value.length % 2 === 0 ? value : value + padding, 'ascii');
}

/**
 * The 128-byte preamble, "DICM" and the File Meta Information group (PS3.10 7.1), written for a
 * data set received over DIMSE so that the blob store keeps a Part 10 file whose data set bytes
 * are exactly the ones on the wire.
 */
export function writeFileMetaInformation(meta: FileMetaInformation): Buffer {
  const elements = [
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', text(meta.mediaStorageSOPClassUID, '\0')),
    element(0x0002, 0x0003, 'UI', text(meta.mediaStorageSOPInstanceUID, '\0')),
    element(0x0002, 0x0010, 'UI', text(meta.transferSyntaxUID, '\0')),
    element(0x0002, 0x0012, 'UI', text(implementationClassUID, '\0')),
    element(0x0002, 0x0013, 'SH', text(implementationVersionName, ' ')),
  ];
  if (meta.sourceApplicationEntityTitle) {
    elements.push(element(0x0002, 0x0016, 'AE', text(meta.sourceApplicationEntityTitle, ' ')));
  }
  const body = Buffer.concat(elements);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(body.length, 0);
  const preamble = Buffer.alloc(132);
  preamble.write('DICM', 128, 'ascii');
  return Buffer.concat([preamble, element(0x0002, 0x0000, 'UL', groupLength), body]);
}

export interface SplitPart10 {
  meta: FileMetaInformation;
  /** The data set bytes after the File Meta Information, streamed as stored. */
  dataset: Readable;
}

function readString(buffer: Buffer): string {
  return buffer.toString('ascii').replace(/[\0 ]+$/, '');
}

/**
 * Reads the File Meta Information of a Part 10 stream and hands back the rest untouched, so a
 * retrieve can send the stored data set bytes over DIMSE without parsing (or rewriting) them.
 */
export async function splitPart10(stream: Readable): Promise<SplitPart10> {
  const iterator: AsyncIterator<Buffer> = stream[Symbol.asyncIterator]();
  try {
    return await readFileMeta(iterator);
  } catch (error) {
    await iterator.return?.();
    throw error;
  }
}

async function readFileMeta(iterator: AsyncIterator<Buffer>): Promise<SplitPart10> {
  let head = Buffer.alloc(0);
  const need = async (length: number): Promise<void> => {
    while (head.length < length) {
      const next = await iterator.next();
      if (next.done) throw new PacsError('DICOM_PARSE_ERROR', 'truncated Part 10 file meta information');
      head = Buffer.concat([head, next.value]);
    }
  };
  await need(132);
  if (head.toString('ascii', 128, 132) !== 'DICM') {
    throw new PacsError('DICOM_PARSE_ERROR', 'missing DICM prefix');
  }
  let offset = 132;
  const values = new Map<number, string>();
  for (;;) {
    await need(offset + 8).catch(() => undefined);
    if (head.length < offset + 8 || head.readUInt16LE(offset) !== 0x0002) break;
    const elementNumber = head.readUInt16LE(offset + 2);
    const vr = head.toString('ascii', offset + 4, offset + 6);
    let length: number;
    let valueOffset: number;
    if (longLengthVrs.has(vr)) {
      await need(offset + 12);
      length = head.readUInt32LE(offset + 8);
      valueOffset = offset + 12;
    } else {
      length = head.readUInt16LE(offset + 6);
      valueOffset = offset + 8;
    }
    await need(valueOffset + length);
    values.set(elementNumber, readString(head.subarray(valueOffset, valueOffset + length)));
    offset = valueOffset + length;
  }
  const transferSyntaxUID = values.get(0x0010);
  if (!transferSyntaxUID) throw new PacsError('DICOM_PARSE_ERROR', 'no Transfer Syntax UID in file meta');
  const rest = head.subarray(offset);
  async function* remainder(): AsyncGenerator<Buffer> {
    try {
      if (rest.length > 0) yield rest;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      // Destroying the data set stream closes the blob stream (and its file descriptor) too.
      await iterator.return?.();
    }
  }
  return {
    meta: {
      mediaStorageSOPClassUID: values.get(0x0002) ?? '',
      mediaStorageSOPInstanceUID: values.get(0x0003) ?? '',
      transferSyntaxUID,
      ...(values.get(0x0016) ? { sourceApplicationEntityTitle: values.get(0x0016) } : {}),
    },
    dataset: Readable.from(remainder(), { objectMode: false }),
  };
}
