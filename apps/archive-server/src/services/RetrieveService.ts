import type { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { isValidUid, PacsError } from '@pacskit/dicom';
import type { BlobStore } from '../ports/BlobStore.js';
import type { Index, InstanceRecord, InstanceScope } from '../ports/Index.js';
import type { Principal } from '../security/Principal.js';

export interface RetrieveOptions {
  principal?: Principal;
  signal?: AbortSignal;
}

/** One frame's bytes and the transfer syntax they are encoded in. */
export interface RetrievedFrame {
  frameNumber: number;
  bytes: Buffer;
  transferSyntaxUID: string;
}

function num(dataset: DicomJsonDataset, tag: string): number | undefined {
  const v = dataset[tag]?.Value?.[0];
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined;
}

/**
 * WADO-RS/WADO-URI/C-GET reads: instances as stored, metadata from the precomputed JSON, frames
 * and bulk data by byte range (no parse of the blob).
 */
export class RetrieveService {
  constructor(
    private readonly index: Index,
    private readonly blobStore: BlobStore,
  ) {}

  /** The instances of a study/series/instance, or NOT_FOUND. */
  async instances(scope: InstanceScope, _options: RetrieveOptions = {}): Promise<InstanceRecord[]> {
    checkScope(scope);
    const records = await this.index.listInstances(scope);
    if (records.length === 0) throw new PacsError('NOT_FOUND', 'no such study, series or instance');
    return records;
  }

  /** The stored Part 10 bytes, exactly as received. */
  readInstance(record: InstanceRecord): Promise<Readable> {
    return this.blobStore.read(record.blobKey);
  }

  async readInstanceBytes(record: InstanceRecord): Promise<Buffer> {
    return this.blobStore.readRange(record.blobKey, 0, record.size);
  }

  /**
   * WADO-RS metadata (PS3.18 10.4.1.1.2) as DICOM JSON text: the stored JSON of each instance with
   * BulkDataURIs made absolute under `baseUrl` (e.g. http://host/dicom-web).
   */
  async metadata(scope: InstanceScope, baseUrl: string, _options: RetrieveOptions = {}): Promise<string> {
    checkScope(scope);
    const items = await this.index.listMetadata(scope);
    if (items.length === 0) throw new PacsError('NOT_FOUND', 'no such study, series or instance');
    const parts = items.map((item) =>
      item.metadata.replaceAll(
        '@INSTANCE@',
        `${baseUrl}/studies/${item.studyInstanceUID}/series/${item.seriesInstanceUID}/instances/${item.sopInstanceUID}`,
      ),
    );
    return `[${parts.join(',')}]`;
  }

  /** Frames (1-based, PS3.18 10.4.1.1.4) of one instance, in its stored transfer syntax. */
  async frames(record: InstanceRecord, frameNumbers: number[]): Promise<RetrievedFrame[]> {
    const pixel = record.pixelData;
    if (!pixel) throw new PacsError('NOT_FOUND', 'the instance has no pixel data');
    const frameCount = num(record.instance, '00280008') ?? 1;
    for (const n of frameNumbers) {
      if (!Number.isInteger(n) || n < 1 || n > frameCount) {
        throw new PacsError('NOT_FOUND', 'frame number out of range', {
          details: { frameNumber: n, frameCount },
        });
      }
    }
    const read = await this.rangeReader(record);
    if (!pixel.encapsulated) {
      const rows = num(record.instance, '00280010') ?? 0;
      const columns = num(record.instance, '00280011') ?? 0;
      const samples = num(record.instance, '00280002') ?? 1;
      const bits = num(record.instance, '00280100') ?? 8;
      const frameSize = Math.ceil((rows * columns * samples * bits) / 8);
      const bigEndian = record.transferSyntaxUID === '1.2.840.10008.1.2.2';
      return Promise.all(
        frameNumbers.map(async (frameNumber) => {
          const start = (frameNumber - 1) * frameSize;
          if (start + frameSize > pixel.length)
            throw new PacsError('NOT_FOUND', 'frame beyond the pixel data');
          let bytes = await read(pixel.offset + start, frameSize);
          // Native frames are sent little endian (PS3.18 8.7.3.3.2: Explicit VR Little Endian bytes).
          if (bigEndian && bits === 16) bytes = Buffer.from(bytes).swap16();
          return { frameNumber, bytes, transferSyntaxUID: '1.2.840.10008.1.2.1' };
        }),
      );
    }
    const fragmentsByFrame = frameFragments(pixel.fragments, pixel.basicOffsetTable, frameCount);
    return Promise.all(
      frameNumbers.map(async (frameNumber) => {
        const fragments = fragmentsByFrame[frameNumber - 1] ?? [];
        const parts = await Promise.all(fragments.map((f) => read(f.offset, f.length)));
        return { frameNumber, bytes: Buffer.concat(parts), transferSyntaxUID: record.transferSyntaxUID };
      }),
    );
  }

  /** A bulk data value (PS3.18 10.4.1.1.5) by top-level tag. */
  async bulkData(record: InstanceRecord, tag: string): Promise<Buffer> {
    const read = await this.rangeReader(record);
    if (tag === '7FE00010' && record.pixelData) {
      const pixel = record.pixelData;
      if (!pixel.encapsulated) return read(pixel.offset, pixel.length);
      const parts = await Promise.all(pixel.fragments.map((f) => read(f.offset, f.length)));
      return Buffer.concat(parts);
    }
    const range = record.bulkData[tag];
    if (!range) throw new PacsError('NOT_FOUND', 'no bulk data for this tag', { details: { tag } });
    return read(range.offset, range.length);
  }

  private async rangeReader(
    record: InstanceRecord,
  ): Promise<(offset: number, length: number) => Promise<Buffer>> {
    if (!record.deflated) return (offset, length) => this.blobStore.readRange(record.blobKey, offset, length);
    // Deflated data sets (PS3.5 A.5): offsets refer to the inflated bytes after the meta information.
    const whole = await this.readInstanceBytes(record);
    const metaEnd = metaInformationEnd(whole);
    const inflated = inflateRawSync(whole.subarray(metaEnd));
    return async (offset, length) => inflated.subarray(offset, offset + length);
  }
}

function checkScope(scope: InstanceScope): void {
  for (const uid of [scope.studyInstanceUID, scope.seriesInstanceUID, scope.sopInstanceUID]) {
    if (uid !== undefined && !isValidUid(uid)) throw new PacsError('INVALID_UID', 'invalid UID in the URL');
  }
}

export function instanceUrl(baseUrl: string, record: InstanceRecord): string {
  return `${baseUrl}/studies/${record.studyInstanceUID}/series/${record.seriesInstanceUID}/instances/${record.sopInstanceUID}`;
}

function metaInformationEnd(file: Buffer): number {
  // (0002,0000) File Meta Information Group Length follows "DICM" (PS3.10 7.1).
  const groupLength = file.readUInt32LE(132 + 8);
  return 132 + 12 + groupLength;
}

/**
 * Which fragments make each frame (PS3.5 A.4): one fragment per frame when the counts agree;
 * otherwise the Basic Offset Table; otherwise a single frame made of every fragment.
 */
export function frameFragments<T extends { offset: number; length: number }>(
  fragments: T[],
  basicOffsetTable: number[],
  frameCount: number,
): T[][] {
  if (fragments.length === frameCount) return fragments.map((f) => [f]);
  if (basicOffsetTable.length === frameCount && fragments.length > 0) {
    const first = fragments[0] as T;
    const result: T[][] = basicOffsetTable.map(() => []);
    for (const fragment of fragments) {
      // Item offsets are measured from the first fragment's item tag (8 bytes before its value).
      const position = fragment.offset - 8 - (first.offset - 8);
      let frame = 0;
      for (let i = 0; i < basicOffsetTable.length; i++)
        if ((basicOffsetTable[i] as number) <= position) frame = i;
      result[frame]?.push(fragment);
    }
    return result;
  }
  if (frameCount === 1) return [fragments];
  return fragments.map((f) => [f]);
}
