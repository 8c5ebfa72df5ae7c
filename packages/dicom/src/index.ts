export { binaryValueRepresentations, normalizeTag } from './dicomJson.js';
export type {
  DicomJsonAttribute,
  DicomJsonDataset,
  DicomJsonValue,
  PersonNameValue,
  ValueRepresentation,
} from './dicomJson.js';
export { PacsError, isPacsError, isPacsErrorCode, pacsErrorTable } from './pacsError.js';
export type { PacsErrorCode, PacsErrorOptions } from './pacsError.js';
