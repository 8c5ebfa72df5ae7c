// Re-exported from @pacskit/dicom for portal code: error codes to branch on, de-identification
// before upload and the FHIR ImagingStudy mapping (tree-shaken away when unused).
export { PacsError, createUidMapper, deidentify, isPacsError, toFhirImagingStudy } from '@pacskit/dicom';
export type {
  DeidentifyOptions,
  DicomJsonDataset,
  FhirImagingStudy,
  PacsErrorCode,
  ToFhirImagingStudyInput,
  UidMapper,
} from '@pacskit/dicom';
export { deidentifyInstance } from './deidentification/deidentifyInstance.js';
export {
  createDicomwebAdapter,
  dicomwebDefaultCapabilities,
} from './adapters/dicomweb/createDicomwebAdapter.js';
export { createArchiveAdapter } from './adapters/archive/createArchiveAdapter.js';
export { createDicoogleAdapter, dicoogleCapabilities } from './adapters/dicoogle/createDicoogleAdapter.js';
export { toLuceneQuery } from './adapters/dicoogle/toLuceneQuery.js';
export { createOrthancAdapter } from './adapters/orthanc/createOrthancAdapter.js';
export { createPostDicomAdapter } from './adapters/postdicom/createPostDicomAdapter.js';
export { createCircuitBreaker } from './federation/circuitBreaker.js';
export { createConcurrencyLimiter } from './federation/concurrencyLimiter.js';
export { createFederatedClient } from './federation/createFederatedClient.js';
export { backoffDelay, isTransient } from './federation/retryPolicy.js';
export { createAuthHeaderProvider } from './auth/authOptions.js';
export { codeForHttpStatus } from './http/errorForStatus.js';
export { createHttpTransport } from './http/httpTransport.js';
export { encodeMultipartRelated } from './multipart/encodeMultipartRelated.js';
export { parseMediaType } from './multipart/parseMediaType.js';
export { parseMultipartRelated } from './multipart/parseMultipartRelated.js';
export { defaultClock, defaultTimers } from './runtime.js';
export { keywordDictionary } from './views/keywordDictionary.js';
export { keywordsToDicomJson } from './views/keywordsToDicomJson.js';
export { composeNormalizers } from './views/normalization.js';
export { trimPersonNames } from './views/trimPersonNames.js';
export { toInstance, toSeries, toStudy } from './views/toStudy.js';
export { buildImageIds } from './viewer/buildImageIds.js';
export { buildViewerUrl } from './viewer/buildViewerUrl.js';
export { sortByImagePosition } from './viewer/sortByImagePosition.js';
export { createWorkflowClient } from './workflow/createWorkflowClient.js';
export { missingWorkflowRoutes, workflowRoutes } from './workflow/workflowRoutes.js';

export type { DicomwebAdapterOptions } from './adapters/dicomweb/createDicomwebAdapter.js';
export type { ArchiveAdapter, ArchiveAdapterOptions } from './adapters/archive/createArchiveAdapter.js';
export type { DicoogleAdapterOptions } from './adapters/dicoogle/createDicoogleAdapter.js';
export type {
  OrthancAdapter,
  OrthancAdapterOptions,
  OrthancQueryLevel,
  QueryModalityOptions,
  RetrieveFromModalityOptions,
} from './adapters/orthanc/createOrthancAdapter.js';
export type {
  CreateShareLinkOptions,
  PostDicomAdapter,
  PostDicomAdapterOptions,
  ShareLink,
} from './adapters/postdicom/createPostDicomAdapter.js';
export type { CircuitBreaker, CircuitBreakerOptions, CircuitState } from './federation/circuitBreaker.js';
export type { ConcurrencyLimiter } from './federation/concurrencyLimiter.js';
export type {
  FederatedClient,
  FederatedClientOptions,
  FederatedHealth,
  FederatedSource,
  FederationEvent,
  FederationEventName,
} from './federation/createFederatedClient.js';
export type { RetryOptions } from './federation/retryPolicy.js';
export type { SourceStatistics } from './federation/sourceStatistics.js';
export type { AccessToken, AuthHeaderProvider, AuthOptions, TokenRequest } from './auth/authOptions.js';
export type { HttpRequest, HttpResponse, HttpTransport, HttpTransportOptions } from './http/httpTransport.js';
export type { MediaType } from './multipart/parseMediaType.js';
export type { MultipartPart } from './multipart/parseMultipartRelated.js';
export type { Clock, FetchLike, Timers } from './runtime.js';
export type { DatasetLevel, DatasetNormalizer, NormalizationContext } from './views/normalization.js';
export type { BuildImageIdsOptions } from './viewer/buildImageIds.js';
export type { BuildViewerUrlOptions } from './viewer/buildViewerUrl.js';
export type { WorkflowClient } from './workflow/createWorkflowClient.js';
export type {
  AccessGrant,
  AccessType,
  Analytics,
  AnalyticsQuery,
  Annotation,
  AnnotationKind,
  AnnotationQuery,
  AuditOutcome,
  AuditQuery,
  AuditRecord,
  CreateAccessGrantInput,
  CreateOrderInput,
  CreateReportInput,
  CreateReportTemplateInput,
  CreateShareLinkInput as CreateArchiveShareLinkInput,
  CreatedShareLink,
  GrantScopeType,
  LatencySummary,
  OpenedShareLink,
  Order,
  OrderHistoryEntry,
  OrderQuery,
  OrderStatus,
  Report,
  ReportContentInput,
  ReportStatus,
  ReportTemplate,
  ReportVersion,
  SaveAnnotationInput,
  ShareLink as ArchiveShareLink,
  Urgency,
} from './workflow/workflowTypes.js';
export type {
  AdapterCapabilities,
  AdapterCapability,
  EchoResult,
  FailedInstanceReference,
  Instance,
  InstanceOptions,
  PacsAdapter,
  QueryKeys,
  RenderedImage,
  RequestOptions,
  RetrieveFramesOptions,
  RetrieveInstanceOptions,
  RetrieveRenderedOptions,
  RetrieveThumbnailOptions,
  RetrievedFrame,
  SearchForInstancesOptions,
  SearchForSeriesOptions,
  SearchForStudiesOptions,
  SearchOptions,
  SearchResult,
  Series,
  SeriesOptions,
  SourceError,
  StoreInstancesOptions,
  StoreResult,
  StoredInstanceReference,
  Study,
  StudyOptions,
} from './pacsAdapter.js';
