import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { PacsError, isPacsError, validateInstance } from '@pacskit/dicom';
import { type Received, receive, syncFile } from '../adapters/fs/durableFile.js';
import { BufferSource, HeadThenFileSource } from '../part10/ByteSource.js';
import { readPart10 } from '../part10/readPart10.js';
import { type BlobStore, newBlobKey } from '../ports/BlobStore.js';
import type { Index, InstanceRecord } from '../ports/Index.js';
import type { Principal } from '../security/Principal.js';
import { seriesLevelTags, studyLevelTags } from './levels.js';
import { IndexCommitQueue } from './IndexCommitQueue.js';

export type DuplicatePolicy = 'keep-first' | 'overwrite' | 'reject';

export interface StoreSource {
  protocol: 'STOW-RS' | 'DIMSE';
  callingAE?: string;
  remoteAddress?: string;
}

export interface StoreInstanceInput {
  stream: AsyncIterable<Uint8Array> | Readable;
  /** STOW-RS to /studies/{study}: the instance must belong to this study (PS3.18 10.5.1). */
  expectedStudyInstanceUID?: string;
  source: StoreSource;
  principal?: Principal;
  signal?: AbortSignal;
}

/** The outcome of one instance (PS3.18 10.5.3: a ReferencedSOPSequence or FailedSOPSequence item). */
export interface StoreOutcome {
  status: 'stored' | 'warning' | 'failed';
  sopClassUID: string | undefined;
  sopInstanceUID: string | undefined;
  studyInstanceUID: string | undefined;
  seriesInstanceUID?: string | undefined;
  warnings: string[];
  /** PS3.18 Table 10.5.3-1 WarningReason, when status is 'warning' and the reason has a code. */
  warningReason?: number;
  failure?: PacsError;
  /** On a stored instance: what the workflow matches orders by and counts modalities by. */
  accessionNumber?: string | undefined;
  modality?: string | undefined;
  /** True for the first instance of a study new to the archive (decided by the index transaction). */
  newStudy?: boolean;
}

export interface IngestServiceOptions {
  index: Index;
  blobStore: BlobStore;
  /** Staging directory inside the data dir (same file system as the blobs, for atomic renames). */
  stagingDir: string;
  duplicatePolicy: DuplicatePolicy;
  /** Called with every outcome and the bytes received (metrics). */
  onOutcome?: (outcome: StoreOutcome, bytes: number) => void;
}

/** PS3.18 Table 10.5.3-1 warning: "Elements Discarded" — used when keep-first drops a duplicate. */
const elementsDiscarded = 0xb006;
/** Coercion of data elements / data set does not match: a validation warning is kept with the instance. */
const datasetDoesNotMatch = 0xb007;

function text(dataset: DicomJsonDataset, tag: string): string | undefined {
  const v = dataset[tag]?.Value?.[0];
  return typeof v === 'string' ? v : undefined;
}

/**
 * No space left, whichever write hits it first: a blob (ENOSPC, EDQUOT from the file system or
 * the writer threads) or the SQLite index growing its WAL (better-sqlite3's SQLITE_FULL).
 */
const outOfSpaceCodes = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** What a failure is reported as when it is not a PacsError (disk full, I/O). */
function toFailure(error: unknown): PacsError {
  if (isPacsError(error)) return error;
  if (outOfSpaceCodes.has((error as NodeJS.ErrnoException).code ?? ''))
    return new PacsError('OUT_OF_RESOURCES', 'disk full');
  return new PacsError('INTERNAL', 'the instance could not be stored', { cause: error });
}

interface StagedInstance {
  position: number;
  key: string;
  record: InstanceRecord;
  bytes: number;
  outcome: StoreOutcome;
  /** The blob being made durable in the store, started as soon as the instance was accepted. */
  stored: Promise<{ error: unknown } | undefined>;
}

/**
 * Instances up to this size (the usual case) are received in memory, parsed from there and written
 * straight to their blob: no staging file, no rename. Larger ones stream to a staging file, and
 * their first this-many bytes stay in memory so most header parses never reopen it.
 */
const maxInMemoryBytes = 1024 * 1024;

/** Staged instances are committed in groups of at most this many (bounded open work per request). */
const maxStagedPerCommit = 32;

/**
 * A group of instances received together (one STOW-RS request): each is received, parsed and
 * validated as it arrives, and its blob write (and fsync) starts at once on the thread pool, while
 * the next part is parsed; `commit` waits for the blobs and commits one index transaction. The outcomes are final only
 * after `commit` resolves — the STOW-RS response waits for it, so an acknowledged instance is
 * always durable. One instance alone (C-STORE) is a batch of one.
 */
export class IngestBatch {
  private readonly outcomes: StoreOutcome[] = [];
  private readonly bytes: number[] = [];
  private staged: StagedInstance[] = [];
  /** SOP Instance UIDs accepted earlier in this batch (duplicates inside one request). */
  private readonly seen = new Set<string>();

  constructor(
    private readonly options: IngestServiceOptions,
    private readonly commitQueue: IndexCommitQueue,
    /** One instance acknowledged by itself (C-STORE): its blob takes a prepared key. */
    private readonly alone = false,
  ) {}

  /** Receives one instance; its outcome is known after `commit`. */
  async add(input: StoreInstanceInput): Promise<void> {
    const position = this.outcomes.length;
    const { index, stagingDir, duplicatePolicy } = this.options;
    const stagingPath = join(stagingDir, `${randomUUID()}.part`);
    // Taken only once the instance is accepted: a prepared key's file exists already.
    let key: string | undefined;
    let ids: Pick<StoreOutcome, 'sopClassUID' | 'sopInstanceUID' | 'studyInstanceUID' | 'seriesInstanceUID'> =
      {
        sopClassUID: undefined,
        sopInstanceUID: undefined,
        studyInstanceUID: undefined,
        seriesInstanceUID: undefined,
      };
    this.outcomes.push({ status: 'failed', ...ids, warnings: [] });
    this.bytes.push(0);
    let staging: string | undefined;
    let kept = false;
    try {
      const received = await receive(input.stream, { maxInMemory: maxInMemoryBytes, stagingPath });
      if (received.kind === 'staged') staging = received.path;
      const size = received.kind === 'memory' ? received.bytes.length : received.size;
      this.bytes[position] = size;
      input.signal?.throwIfAborted();
      const parsed = parseReceived(received);
      const { dataset } = parsed;
      ids = {
        sopClassUID: text(dataset, '00080016'),
        sopInstanceUID: text(dataset, '00080018'),
        studyInstanceUID: text(dataset, '0020000D'),
        seriesInstanceUID: text(dataset, '0020000E'),
      };
      // The archive policy of @pacskit/dicom: identifying UIDs must be valid, anything else
      // questionable (Modality, the Image Pixel module) is stored with a warning, as Orthanc does.
      const validation = validateInstance(dataset, {
        meta: parsed.meta,
        transferSyntaxUID: parsed.transferSyntaxUID,
        ...(parsed.pixelData ? { pixelDataLength: parsed.pixelData.length } : {}),
        policy: 'archive',
      });
      const [firstError] = validation.errors;
      if (firstError) {
        throw new PacsError(firstError.code, firstError.message, {
          details: firstError.tag === undefined ? {} : { tag: firstError.tag },
        });
      }
      const warnings = validation.warnings.map((warning) => warning.message);
      if (
        input.expectedStudyInstanceUID !== undefined &&
        ids.studyInstanceUID !== input.expectedStudyInstanceUID
      ) {
        throw new PacsError(
          'DATASET_MISMATCH',
          'the instance does not belong to the study of the request URL',
          {
            details: { tag: '0020000D' },
          },
        );
      }
      const sopInstanceUID = ids.sopInstanceUID as string;
      const duplicate =
        this.seen.has(sopInstanceUID) || (await index.findInstance(sopInstanceUID)) !== undefined;
      if (duplicate && duplicatePolicy === 'reject') {
        throw new PacsError(
          'DUPLICATE_INSTANCE',
          'an instance with this SOP Instance UID is already stored',
          {
            details: { policy: 'reject' },
          },
        );
      }
      if (duplicate && duplicatePolicy === 'keep-first') {
        this.outcomes[position] = {
          status: 'warning',
          ...ids,
          warnings: ['duplicate SOP Instance UID: the stored instance was kept (policy keep-first)'],
          warningReason: elementsDiscarded,
        };
        return;
      }
      this.seen.add(sopInstanceUID);
      const outcome: StoreOutcome =
        warnings.length > 0
          ? { status: 'warning', ...ids, warnings, warningReason: datasetDoesNotMatch }
          : { status: 'stored', ...ids, warnings };
      // Instances received together share their blobs' directory fsync; one alone waits for its own
      // (C-STORE over one association: 1.2–2× the instances/s from a prepared file, while in STOW-RS
      // batches prepared files cost more system CPU than they saved, bench/RESULTS.md).
      key = this.alone ? this.options.blobStore.preparedKey() : newBlobKey();
      const record = buildRecord(parsed, key, size, warnings);
      kept = true;
      this.staged.push({
        position,
        key,
        record,
        bytes: size,
        outcome,
        stored: this.storeBlob(key, received),
      });
      if (this.staged.length >= maxStagedPerCommit) await this.flush();
    } catch (error) {
      this.outcomes[position] = { status: 'failed', ...ids, warnings: [], failure: toFailure(error) };
    } finally {
      if (!kept && staging !== undefined) await rm(staging, { force: true });
      if (!kept && key !== undefined) await this.options.blobStore.remove(key).catch(() => undefined);
    }
  }

  /**
   * Makes the blob durable in the store: written and fsynced from memory, or a staging file fsynced
   * and moved in. On failure nothing of it is left behind; the error is returned for `flush`.
   */
  private async storeBlob(key: string, received: Received): Promise<{ error: unknown } | undefined> {
    const { blobStore } = this.options;
    try {
      if (received.kind === 'memory') {
        await blobStore.create(key, { bytes: received.bytes });
      } else {
        await syncFile(received.path);
        await blobStore.create(key, { path: received.path });
      }
      return undefined;
    } catch (error) {
      if (received.kind === 'staged') await rm(received.path, { force: true });
      await blobStore.remove(key).catch(() => undefined);
      return { error };
    }
  }

  /** Makes every staged instance durable and indexed; returns the outcomes in arrival order. */
  async commit(): Promise<StoreOutcome[]> {
    await this.flush();
    this.outcomes.forEach((outcome, i) => {
      this.options.onOutcome?.(outcome, this.bytes[i] ?? 0);
    });
    return this.outcomes;
  }

  private async flush(): Promise<void> {
    const staged = this.staged;
    this.staged = [];
    if (staged.length === 0) return;
    const { blobStore } = this.options;
    const fail = (item: StagedInstance, error: unknown) => {
      this.outcomes[item.position] = {
        ...item.outcome,
        status: 'failed',
        warnings: [],
        failure: toFailure(error),
      };
    };
    // The blobs were started as their parts arrived: wait for all of them to be durable. Meanwhile
    // a commit of other requests' records may wait a moment to take these along.
    const reservation = this.commitQueue.reserve();
    const moved: StagedInstance[] = [];
    let results: Awaited<ReturnType<Index['putInstances']>>;
    try {
      await Promise.all(
        staged.map(async (item) => {
          const failure = await item.stored;
          if (failure) fail(item, failure.error);
          else moved.push(item);
        }),
      );
      moved.sort((a, b) => a.position - b.position);
      // One index transaction for the group; only now is anything acknowledged.
      results = await reservation.put(moved.map((item) => item.record));
    } catch (error) {
      for (const item of moved) fail(item, error);
      await Promise.all(moved.map((item) => blobStore.remove(item.key)));
      return;
    } finally {
      reservation.cancel();
    }
    await Promise.all(
      moved.map(async (item, i) => {
        const result = results[i];
        if (!result || 'error' in result) {
          fail(item, result?.error);
          await blobStore.remove(item.key);
          return;
        }
        this.outcomes[item.position] = {
          ...item.outcome,
          accessionNumber: text(item.record.study, '00080050'),
          modality: text(item.record.series, '00080060'),
          newStudy: result.newStudy,
        };
        if (result.replaced) await blobStore.remove(result.replaced.blobKey);
      }),
    );
  }
}

/**
 * The one ingest pipeline, shared by STOW-RS and C-STORE: receive (in memory, or a staging file
 * when large), parse the header, validate, apply the duplicate policy, write and fsync the blob,
 * commit the index transaction, and only then report success. A crash at any step leaves at worst
 * an unreferenced staging file or blob, removed by `cleanOrphans` on start.
 */
export class IngestService {
  private readonly commitQueue: IndexCommitQueue;

  constructor(private readonly options: IngestServiceOptions) {
    this.commitQueue = new IndexCommitQueue(options.index, options.duplicatePolicy === 'overwrite');
  }

  /** One instance (C-STORE, or a single STOW-RS part): durable and indexed when this resolves. */
  async storeInstance(input: StoreInstanceInput): Promise<StoreOutcome> {
    const batch = new IngestBatch(this.options, this.commitQueue, true);
    await batch.add(input);
    const [outcome] = await batch.commit();
    return outcome as StoreOutcome;
  }

  /** Several instances received together (a STOW-RS request), committed as a group. */
  createBatch(): IngestBatch {
    return new IngestBatch(this.options, this.commitQueue);
  }

  /**
   * Startup recovery: remove staging leftovers and blobs the index does not reference (written
   * before a crash, never committed). Nothing acknowledged is touched: acknowledged means indexed.
   */
  /**
   * Removes staging leftovers and, unless `removeUnreferencedBlobs` is false, blobs the index does
   * not reference. Scale-out mode passes false: with a blob store shared by several processes, a
   * blob another process has written but not yet indexed is not an orphan.
   */
  async cleanOrphans(options: { removeUnreferencedBlobs?: boolean } = {}): Promise<{
    stagingFiles: number;
    blobs: number;
  }> {
    const { index, blobStore, stagingDir } = this.options;
    await mkdir(stagingDir, { recursive: true });
    const staged = await readdir(stagingDir);
    await Promise.all(staged.map((name) => rm(join(stagingDir, name), { force: true })));
    if (options.removeUnreferencedBlobs === false) return { stagingFiles: staged.length, blobs: 0 };
    const referenced = await index.blobKeys();
    let blobs = 0;
    for await (const key of blobStore.keys()) {
      if (!referenced.has(key)) {
        await blobStore.remove(key);
        blobs++;
      }
    }
    return { stagingFiles: staged.length, blobs };
  }
}

/** Parses a received instance's header: from memory, or from the kept head then its staging file. */
function parseReceived(received: Received): ReturnType<typeof readPart10> {
  const options = { bulkDataPrefix: '@INSTANCE@/bulk/' };
  if (received.kind === 'memory') return readPart10(new BufferSource(received.bytes), options);
  const source = new HeadThenFileSource(received.head, received.path, received.size);
  try {
    return readPart10(source, options);
  } finally {
    source.close();
  }
}

function buildRecord(
  parsed: ReturnType<typeof readPart10>,
  blobKey: string,
  size: number,
  warnings: string[],
): InstanceRecord {
  const { dataset } = parsed;
  const study: DicomJsonDataset = {};
  const series: DicomJsonDataset = {};
  const instance: DicomJsonDataset = {};
  for (const [tag, attribute] of Object.entries(dataset)) {
    if (studyLevelTags.has(tag)) study[tag] = attribute;
    else if (seriesLevelTags.has(tag)) series[tag] = attribute;
    else if (
      attribute.vr !== 'SQ' &&
      attribute.BulkDataURI === undefined &&
      attribute.InlineBinary === undefined
    ) {
      instance[tag] = attribute;
    }
  }
  // The character set applies at every level.
  if (dataset['00080005']) series['00080005'] = instance['00080005'] = dataset['00080005'];
  instance['00083002'] = { vr: 'UI', Value: [parsed.transferSyntaxUID] }; // AvailableTransferSyntaxUID
  const pixel = parsed.pixelData;
  return {
    studyInstanceUID: text(dataset, '0020000D') as string,
    seriesInstanceUID: text(dataset, '0020000E') as string,
    sopInstanceUID: text(dataset, '00080018') as string,
    sopClassUID: text(dataset, '00080016') as string,
    transferSyntaxUID: parsed.transferSyntaxUID,
    blobKey,
    size,
    study,
    series,
    instance,
    metadata: JSON.stringify(dataset),
    pixelData: pixel
      ? {
          offset: pixel.offset,
          length: pixel.length,
          encapsulated: pixel.encapsulated,
          fragments: pixel.fragments,
          basicOffsetTable: pixel.basicOffsetTable,
        }
      : undefined,
    bulkData: parsed.bulkData,
    deflated: parsed.encoding.deflated,
    warnings,
    storedAt: new Date().toISOString(),
  };
}
