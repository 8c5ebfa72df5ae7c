import type { DicomJsonDataset, PacsError } from '@pacskit/dicom';
import type { AttributeCondition } from '../services/matching.js';

export type QueryLevel = 'study' | 'series' | 'instance';

/** Byte range of a value inside the stored blob (or inside the inflated data set, when deflated). */
export interface StoredByteRange {
  offset: number;
  length: number;
}

/** Where the pixel data of an instance lies in its blob; enough to serve frames without a parse. */
export interface StoredPixelData {
  offset: number;
  length: number;
  encapsulated: boolean;
  fragments: StoredByteRange[];
  basicOffsetTable: number[];
}

/** One stored instance, as the ingest service commits it and the retrieve service reads it. */
export interface InstanceRecord {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  sopClassUID: string;
  transferSyntaxUID: string;
  blobKey: string;
  /** Size of the blob in bytes. */
  size: number;
  /** Patient and study attributes (the study-level query attributes). */
  study: DicomJsonDataset;
  /** Series attributes. */
  series: DicomJsonDataset;
  /** Instance-level query attributes (top-level, non-bulk, non-sequence). */
  instance: DicomJsonDataset;
  /**
   * The full WADO-RS metadata of the instance, DICOM JSON text, with BulkDataURIs relative to the
   * instance URL (`bulk/<tag>`); precomputed at ingest so metadata never re-reads the blob.
   */
  metadata: string;
  pixelData: StoredPixelData | undefined;
  bulkData: Record<string, StoredByteRange>;
  /** True when the data set is deflated (PS3.5 A.5) and offsets refer to the inflated bytes. */
  deflated: boolean;
  /** Validation warnings kept with the instance. */
  warnings: string[];
  storedAt: string;
}

/** Which study, series or instance a call is about; omitted levels mean "all under the parent". */
export interface InstanceScope {
  studyInstanceUID: string;
  seriesInstanceUID?: string;
  sopInstanceUID?: string;
}

export interface StoredMetadata {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  /** `InstanceRecord.metadata`: DICOM JSON text with relative BulkDataURIs. */
  metadata: string;
}

export interface IndexSearch {
  level: QueryLevel;
  /** Conditions the index must apply (only on attributes listed by `indexedAttributes`). */
  conditions: AttributeCondition[];
  /** Restrict to one study (and series), as in /studies/{study}/series. */
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
  limit?: number;
  offset?: number;
}

/** A search result row: the merged attributes of the matching entity and its parents. */
export interface IndexSearchRow {
  study: DicomJsonDataset;
  series?: DicomJsonDataset;
  instance?: DicomJsonDataset;
}

export interface PutInstanceResult {
  /** The record this one replaced (overwrite policy); its blob is now unreferenced. */
  replaced: InstanceRecord | undefined;
  /**
   * True when this record created its study: the first instance of a study new to the archive
   * (the workflow's `study.received` event). Decided inside the transaction, so two processes
   * storing the same new study concurrently report it once.
   */
  newStudy: boolean;
}

/**
 * The archive's index (Orthanc's IDatabaseWrapper, much smaller). All SQL lives behind it.
 * Every method is atomic; `putInstance` commits one transaction and resolves only once durable.
 */
export interface Index {
  /** Tags each level can filter on in `search`; other conditions are applied by the caller. */
  readonly indexedAttributes: Readonly<Record<QueryLevel, ReadonlySet<string>>>;
  findInstance(sopInstanceUID: string): Promise<InstanceRecord | undefined>;
  /**
   * Stores the record. With `replace: false` and an existing SOP Instance UID it fails with
   * DUPLICATE_INSTANCE and changes nothing.
   */
  putInstance(record: InstanceRecord, options: { replace: boolean }): Promise<PutInstanceResult>;
  /**
   * Stores several records in one transaction (one durable commit); each succeeds or fails on
   * its own (DUPLICATE_INSTANCE, DATASET_MISMATCH) without affecting the others.
   */
  putInstances(
    records: InstanceRecord[],
    options: { replace: boolean },
  ): Promise<Array<PutInstanceResult | { error: PacsError }>>;
  /**
   * The precomputed WADO-RS metadata of a study / series / instance, in `listInstances` order,
   * without decoding anything else (the hot path of viewers opening a study).
   */
  listMetadata(scope: InstanceScope): Promise<StoredMetadata[]>;
  /** Instances of a study / series / one instance, ordered by series then instance number. */
  listInstances(scope: InstanceScope): Promise<InstanceRecord[]>;
  search(search: IndexSearch): Promise<IndexSearchRow[]>;
  /** Removes the index rows of the scope in one transaction and returns what was removed. */
  deleteInstances(scope: InstanceScope): Promise<InstanceRecord[]>;
  /** Every blob key the index references (startup orphan cleanup). */
  blobKeys(): Promise<Set<string>>;
  countInstances(): Promise<number>;
  close(): Promise<void>;
}
