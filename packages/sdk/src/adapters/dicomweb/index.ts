export { createDicomwebAdapter, dicomwebDefaultCapabilities } from './createDicomwebAdapter.js';
export type { DicomwebAdapterOptions } from './createDicomwebAdapter.js';
