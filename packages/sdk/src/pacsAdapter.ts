import type { DicomJsonDataset } from '@pacskit/dicom';

/**
 * The one interface every archive adapter implements (dicomweb, orthanc, dicoogle, postdicom,
 * archive). Operation names follow PS3.18; every call takes one options object with `signal`.
 * Failures are `PacsError`s with a code, the source id and the remote HTTP status.
 */
export interface PacsAdapter {
  /** A stable id for this source ("orthanc-main"); used in errors, federation and statistics. */
  readonly id: string;
  /** What this archive supports; calls outside it fail with `NOT_SUPPORTED`. */
  readonly capabilities: AdapterCapabilities;

  /** QIDO-RS search for studies (PS3.18 10.6). */
  searchForStudies(options?: SearchForStudiesOptions): Promise<SearchResult<Study>>;
  /** QIDO-RS search for series, in one study or across all. */
  searchForSeries(options?: SearchForSeriesOptions): Promise<SearchResult<Series>>;
  /** QIDO-RS search for instances, in one series/study or across all. */
  searchForInstances(options?: SearchForInstancesOptions): Promise<SearchResult<Instance>>;

  /** WADO-RS metadata of every instance of a study (PS3.18 10.4.1.1.2). */
  retrieveStudyMetadata(options: StudyOptions): Promise<DicomJsonDataset[]>;
  retrieveSeriesMetadata(options: SeriesOptions): Promise<DicomJsonDataset[]>;
  retrieveInstanceMetadata(options: InstanceOptions): Promise<DicomJsonDataset>;
  /** The instance as DICOM Part 10 bytes. */
  retrieveInstance(options: RetrieveInstanceOptions): Promise<Uint8Array>;
  /** Pixel data frames (1-based frame numbers), one byte array per frame. */
  retrieveInstanceFrames(options: RetrieveFramesOptions): Promise<RetrievedFrame[]>;
  /** A rendered image of an instance or frame (image/jpeg or image/png). */
  retrieveRendered(options: RetrieveRenderedOptions): Promise<RenderedImage>;
  /** A small preview of a study, series or instance. */
  retrieveThumbnail(options: RetrieveThumbnailOptions): Promise<RenderedImage>;

  /** STOW-RS: store Part 10 instances; per-instance outcome (PS3.18 10.5). */
  storeInstances(options: StoreInstancesOptions): Promise<StoreResult>;
  /** Delete a study where the archive allows it. */
  deleteStudy(options: StudyOptions): Promise<void>;

  /** Connectivity test: resolves with the round-trip time, or rejects with a PacsError. */
  echo(options?: RequestOptions): Promise<EchoResult>;
}

export interface AdapterCapabilities {
  searchForStudies: boolean;
  searchForSeries: boolean;
  searchForInstances: boolean;
  retrieveMetadata: boolean;
  retrieveInstance: boolean;
  retrieveInstanceFrames: boolean;
  retrieveRendered: boolean;
  retrieveThumbnail: boolean;
  storeInstances: boolean;
  deleteStudy: boolean;
  /** Whether search supports fuzzy person-name matching. */
  fuzzyMatching: boolean;
  /** Whether the adapter can build Cornerstone `wadors:` image IDs (frames over WADO-RS). */
  wadoRsImageIds: boolean;
  /** Whether the adapter can build Cornerstone `wadouri:` image IDs. */
  wadoUriImageIds: boolean;
}

export type AdapterCapability = keyof AdapterCapabilities;

export interface RequestOptions {
  signal?: AbortSignal;
}

/** Query keys by DICOM keyword or tag (`{ PatientID: '123', StudyDate: '20240101-' }`). */
export type QueryKeys = Record<string, string | number | readonly string[]>;

export interface SearchOptions extends RequestOptions {
  /** Matching keys (PS3.18 8.3.4), by keyword or tag. */
  query?: QueryKeys;
  /** Extra attributes to return, by keyword or tag, or 'all'. */
  includeField?: readonly string[] | 'all';
  fuzzyMatching?: boolean;
  limit?: number;
  offset?: number;
}

export interface SearchForStudiesOptions extends SearchOptions {}
export interface SearchForSeriesOptions extends SearchOptions {
  studyInstanceUID?: string;
}
export interface SearchForInstancesOptions extends SearchOptions {
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
}

export interface StudyOptions extends RequestOptions {
  studyInstanceUID: string;
}
export interface SeriesOptions extends StudyOptions {
  seriesInstanceUID: string;
}
export interface InstanceOptions extends SeriesOptions {
  sopInstanceUID: string;
}

export interface RetrieveInstanceOptions extends InstanceOptions {
  /** Requested transfer syntax UID; '*' (default) keeps the stored one. */
  transferSyntaxUID?: string;
}

export interface RetrieveFramesOptions extends InstanceOptions {
  /** 1-based frame numbers. */
  frameNumbers: readonly number[];
  transferSyntaxUID?: string;
}

export interface RetrievedFrame {
  frameNumber: number;
  /** The media type the server sent, e.g. `application/octet-stream` or `image/jls`. */
  contentType: string;
  transferSyntaxUID?: string;
  data: Uint8Array;
}

export interface RetrieveRenderedOptions extends InstanceOptions {
  frameNumber?: number;
  mediaType?: 'image/jpeg' | 'image/png';
  /** Window center/width (PS3.18 8.3.5.1.3). */
  window?: { center: number; width: number };
  viewport?: { width: number; height: number };
  quality?: number;
}

export interface RetrieveThumbnailOptions extends RequestOptions {
  studyInstanceUID: string;
  seriesInstanceUID?: string;
  sopInstanceUID?: string;
  mediaType?: 'image/jpeg' | 'image/png';
  viewport?: { width: number; height: number };
}

export interface RenderedImage {
  contentType: string;
  data: Uint8Array;
}

export interface StoreInstancesOptions extends RequestOptions {
  /** Part 10 files. */
  instances: readonly Uint8Array[];
  /** Store into this study (STOW-RS `/studies/{study}`). */
  studyInstanceUID?: string;
}

export interface StoreResult {
  /** The STOW-RS response data set (ReferencedSOPSequence, FailedSOPSequence, …). */
  response: DicomJsonDataset;
  stored: StoredInstanceReference[];
  failed: FailedInstanceReference[];
  /** Whether the archive answered with warnings (HTTP 202 or WarningReason). */
  hasWarnings: boolean;
}

export interface StoredInstanceReference {
  sopClassUID: string;
  sopInstanceUID: string;
  retrieveURL?: string;
  warningReason?: number;
}

export interface FailedInstanceReference {
  sopClassUID?: string;
  sopInstanceUID?: string;
  /** PS3.18 failure reason (e.g. 0xA900, 0xC000, 0x0110, 0x0111). */
  failureReason: number;
}

export interface EchoResult {
  ok: true;
  /** Milliseconds from request to answer, measured with the injected clock. */
  latencyMs: number;
}

export interface SearchResult<T> {
  items: T[];
  /** Per-source errors when a federated search returned partial results. */
  errors: SourceError[];
}

export interface SourceError {
  sourceId: string;
  /** A PacsError code. */
  code: string;
  message: string;
  httpStatus?: number;
}

/** Typed view of a study: keyword fields plus the DICOM JSON it came from. */
export interface Study {
  StudyInstanceUID: string;
  PatientName?: string;
  PatientID?: string;
  PatientBirthDate?: string;
  PatientSex?: string;
  StudyDate?: string;
  StudyTime?: string;
  AccessionNumber?: string;
  StudyDescription?: string;
  StudyID?: string;
  ReferringPhysicianName?: string;
  ModalitiesInStudy: string[];
  NumberOfStudyRelatedSeries?: number;
  NumberOfStudyRelatedInstances?: number;
  /** Which sources hold this study (federation); a single adapter fills its own id. */
  sources: string[];
  dataset: DicomJsonDataset;
}

export interface Series {
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  Modality?: string;
  SeriesNumber?: number;
  SeriesDescription?: string;
  BodyPartExamined?: string;
  SeriesDate?: string;
  NumberOfSeriesRelatedInstances?: number;
  sources: string[];
  dataset: DicomJsonDataset;
}

export interface Instance {
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  SOPInstanceUID: string;
  SOPClassUID?: string;
  InstanceNumber?: number;
  Rows?: number;
  Columns?: number;
  NumberOfFrames?: number;
  sources: string[];
  dataset: DicomJsonDataset;
}
