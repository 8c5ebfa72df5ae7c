import type { Readable } from 'node:stream';
import type { DicomJsonDataset, PacsError } from '@pacskit/dicom';

/** Who sent a DIMSE request: the ingest pipeline and the audit trail record it. */
export interface DimseSource {
  protocol: 'DIMSE';
  callingAE: string;
  remoteAddress: string;
}

/** The outcome of storing one instance, mapped onto a C-STORE status (PS3.4 B.2.3). */
export interface DimseStoreOutcome {
  status: 'stored' | 'warning' | 'failed';
  sopClassUID?: string;
  sopInstanceUID?: string;
  studyInstanceUID?: string;
  /** Coercions or other warnings; any entry turns success into warning 0xB000. */
  warnings?: readonly string[];
  /** The warning status to send (PS3.4 B.2.3: 0xB000, 0xB006, 0xB007); default 0xB000. */
  warningStatus?: number;
  failure?: PacsError;
}

/** Query/retrieve levels of PS3.4 C.6 (the Query/Retrieve Level (0008,0052) values). */
export type DimseQueryLevel = 'PATIENT' | 'STUDY' | 'SERIES' | 'IMAGE';

export interface DimseSearchOptions {
  level: DimseQueryLevel;
  /**
   * The C-FIND identifier's matching keys as DICOM JSON (private and group-length attributes and
   * Query/Retrieve Level removed). Empty values are universal matching (return keys).
   */
  keys: DicomJsonDataset;
  signal: AbortSignal;
}

/** A stored instance as far as a retrieve needs to know it. */
export interface StoredInstanceRef {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  sopClassUID: string;
  /** The transfer syntax the instance is stored in (sent as is: no transcoding). */
  transferSyntaxUID: string;
}

export interface DimseRetrieveOptions {
  level: DimseQueryLevel;
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
  /** Instance-level C-MOVE/C-GET may list several SOP Instance UIDs (PS3.4 C.4.2.2.1). */
  sopInstanceUIDs?: readonly string[];
  /** Patient-level retrieve (Patient Root). */
  patientID?: string;
  signal: AbortSignal;
}

/** A scheduled procedure step as Modality Worklist C-FIND returns it (PS3.4 K.6). */
export interface DimseWorklistSearchOptions {
  keys: DicomJsonDataset;
  signal: AbortSignal;
}

export interface DimseMppsOptions {
  sopInstanceUID: string;
  /** The N-CREATE / N-SET data set as DICOM JSON. */
  dataset: DicomJsonDataset;
  source: DimseSource;
  signal: AbortSignal;
}

/**
 * What the DIMSE front end needs from the archive. The composition root adapts the ingest, query,
 * retrieve and worklist services onto this (see archiveDimseServices.ts); tests use an in-memory one.
 */
export interface DimseServices {
  /**
   * Store one instance: `stream` is a DICOM Part 10 stream (file meta information built from the
   * C-STORE command, then the data set bytes exactly as received). Resolve only once durable.
   * A rejected promise or an errored stream means nothing was stored.
   */
  storeInstance(options: {
    stream: Readable;
    source: DimseSource;
    signal: AbortSignal;
  }): Promise<DimseStoreOutcome>;
  /** C-FIND at a level; matching is the archive's (the same as QIDO-RS). Results as DICOM JSON. */
  search(options: DimseSearchOptions): AsyncIterable<DicomJsonDataset> | Promise<readonly DicomJsonDataset[]>;
  /** The instances a C-MOVE / C-GET refers to. */
  listInstances(options: DimseRetrieveOptions): Promise<readonly StoredInstanceRef[]>;
  /** The stored Part 10 bytes of one instance, streamed. */
  openInstance(options: { instance: StoredInstanceRef; signal: AbortSignal }): Promise<Readable>;
  /** Which of these SOP Instance UIDs are durably stored (Storage Commitment, PS3.4 J). */
  findStoredInstances(options: {
    references: readonly { sopClassUID: string; sopInstanceUID: string }[];
    signal: AbortSignal;
  }): Promise<ReadonlySet<string>>;
  /** Modality Worklist C-FIND; absent when no worklist is wired. */
  searchWorklist?(options: DimseWorklistSearchOptions): Promise<readonly DicomJsonDataset[]>;
  /** MPPS N-CREATE; absent when no worklist is wired. Rejects with PacsError (CONFLICT = duplicate). */
  createPerformedProcedureStep?(options: DimseMppsOptions): Promise<void>;
  /** MPPS N-SET. Rejects with PacsError NOT_FOUND or CONFLICT (already COMPLETED/DISCONTINUED). */
  updatePerformedProcedureStep?(options: DimseMppsOptions): Promise<void>;
}
