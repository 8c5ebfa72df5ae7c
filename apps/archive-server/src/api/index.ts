export { apiPlugin, apiRoutes } from './apiPlugin.js';
export type { ApiPluginOptions } from './apiPlugin.js';
export type { ApiDependencies } from './ApiDependencies.js';
export type { ApiContext, ApiRoute, AuditContext, RouteAuth } from './ApiRoute.js';
export { createAuthenticateHook, dicomwebPermission } from './createAuthenticateHook.js';
export { openApiDocument } from './openApiDocument.js';
export { studyCatalogFromQueryService } from './StudyCatalog.js';
export { scopeDicomwebServices } from './scopeDicomwebServices.js';
export type { StudyCatalog } from './StudyCatalog.js';
