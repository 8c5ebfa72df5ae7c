export { freePort, readTestFile, startOrthanc } from './startOrthanc.js';
export type { OrthancServer, StartOrthancOptions, UploadedInstance } from './startOrthanc.js';
