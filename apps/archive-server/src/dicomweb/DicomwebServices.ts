import type { DeleteService } from '../services/DeleteService.js';
import type { IngestService } from '../services/IngestService.js';
import type { QueryService } from '../services/QueryService.js';
import type { RenderService } from '../services/RenderService.js';
import type { RetrieveService } from '../services/RetrieveService.js';

/** What the DICOMweb front end calls; it never sees the index or the blobs. */
export interface DicomwebServices {
  ingest: IngestService;
  query: QueryService;
  retrieve: RetrieveService;
  render: RenderService;
  delete: DeleteService;
}
