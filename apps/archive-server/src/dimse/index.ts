export { MemoryAeTable, aeTableFileSchema, loadAeTableFile, parseAeTable } from './aeTable.js';
export { archiveDimseServices } from './archiveDimseServices.js';
export { createDimseServer, defaultDimseLimits, defaultDimsePolicy } from './createDimseServer.js';
export { dimseAdminRoutes } from './dimseAdminRoutes.js';
export { silentDimseLogger } from './dimseLogger.js';
export { echoRemote, findRemote, getFromRemote, moveFromRemote, storeToRemote } from './dimseScu.js';
export { ScuJobs, scuJobRequestSchema } from './scuJobs.js';
export { SqliteAeTable } from './sqlite/SqliteAeTable.js';
export { dimseServices as dimseServiceNames } from './sopClasses.js';
export type { AeTable, RemoteApplicationEntity } from './aeTable.js';
export type { ArchiveDimseServicesOptions } from './archiveDimseServices.js';
export type { DimseServer, DimseServerOptions, DimseTlsOptions } from './createDimseServer.js';
export type { DimseAdminRoutesOptions, ManagedAeTable } from './dimseAdminRoutes.js';
export type { DimseLimits, DimseOperationEvent, DimsePolicy } from './dimseAssociation.js';
export type { DimseLogger } from './dimseLogger.js';
export type { ScuContext, SubOperationProgress } from './dimseScu.js';
export type {
  DimseMppsOptions,
  DimseQueryLevel,
  DimseRetrieveOptions,
  DimseSearchOptions,
  DimseServices,
  DimseSource,
  DimseStoreOutcome,
  StoredInstanceRef,
} from './dimseServices.js';
export type { ScuJob, ScuJobRequest, ScuJobsOptions } from './scuJobs.js';
export type { DimseService } from './sopClasses.js';
