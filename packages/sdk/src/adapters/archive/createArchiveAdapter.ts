import { createHttpTransport } from '../../http/httpTransport.js';
import type { HttpTransportOptions } from '../../http/httpTransport.js';
import type { PacsAdapter } from '../../pacsAdapter.js';
import { createWorkflowClient } from '../../workflow/createWorkflowClient.js';
import type { WorkflowClient } from '../../workflow/createWorkflowClient.js';
import { createDicomwebAdapterOn } from '../dicomweb/createDicomwebAdapter.js';
import type { DicomwebAdapterOptions } from '../dicomweb/createDicomwebAdapter.js';

export interface ArchiveAdapterOptions extends Omit<DicomwebAdapterOptions, 'baseUrl'> {
  /** The archive's root, e.g. `https://archive.example.org`; DICOMweb is at `/dicom-web`, the workflow API at `/api/v1`. */
  baseUrl: string;
}

/** The PacsKit archive: a DICOMweb adapter (with DELETE and WADO-URI) plus its workflow API. */
export interface ArchiveAdapter extends PacsAdapter {
  readonly workflow: WorkflowClient;
}

export function createArchiveAdapter(options: ArchiveAdapterOptions): ArchiveAdapter {
  const id = options.id ?? 'archive';
  const root = options.baseUrl.replace(/\/+$/, '');
  const common: Omit<HttpTransportOptions, 'baseUrl'> = {
    source: id,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const dicomWeb = createDicomwebAdapterOn(createHttpTransport({ ...common, baseUrl: `${root}/dicom-web` }), {
    capabilities: { deleteStudy: true, wadoUriImageIds: true, ...options.capabilities },
    ...(options.normalize ? { normalize: options.normalize } : {}),
    ...(options.thumbnails ? { thumbnails: options.thumbnails } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    ...dicomWeb,
    workflow: createWorkflowClient(createHttpTransport({ ...common, baseUrl: `${root}/api/v1` })),
  };
}
