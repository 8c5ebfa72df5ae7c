import type { DicomJsonDataset } from '@pacskit/dicom';

/**
 * One series to show: image IDs in display order, as the SDK builds them (`wadors:` or `wadouri:`), or
 * `dicomfile:` ids for local files.
 */
export interface ViewerSeries {
  seriesInstanceUID: string;
  description?: string;
  modality?: string;
  imageIds: string[];
  /**
   * WADO-RS instance metadata (DICOM JSON, PS3.18 F.2) for `wadors:` ids, in `imageIds` order. The
   * loader needs it before it can fetch frames; `wadouri:` and `dicomfile:` ids carry their own.
   */
  metadata?: DicomJsonDataset[];
  /** Optional thumbnail URL (e.g. WADO-RS `/rendered` or `/thumbnail`). */
  thumbnailUrl?: string;
}
