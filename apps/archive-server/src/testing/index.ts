export { freePort } from './freePort.js';
export { generateCorpus, generateInstance, newUid, stowBody } from './generateInstance.js';
export type { GeneratedCorpusOptions, GeneratedInstanceOptions, GeneratedStudy } from './generateInstance.js';
export { pydicomCharsetFile, pydicomTestFile } from './testFiles.js';
