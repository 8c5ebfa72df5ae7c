export { createAccessControl, CredentialRejection, isGrantActive } from './createAccessControl.js';
export type {
  AccessControl,
  AccessControlOptions,
  CreateGrantInput,
  CreateShareLinkInput,
  CreateUserInput,
  RequestHeaders,
  TokenPair,
} from './createAccessControl.js';
export { systemClock } from './AccessConfig.js';
export type { AccessConfig, Clock, OidcIssuerConfig } from './AccessConfig.js';
export type {
  AccessGrantRecord,
  AccessStore,
  ApiKeyRecord,
  GrantScopeType,
  RefreshTokenRecord,
  ShareLinkRecord,
  UserRecord,
} from './AccessStore.js';
export { SqliteAccessStore } from './sqlite/SqliteAccessStore.js';
export {
  allStudiesScope,
  applyPatientScope,
  canDownload,
  emptyScope,
  isStudyVisible,
  studyVisibilityAttributes,
} from './PatientScope.js';
export type { AccessType, PatientScope, ScopableQuery, StudyVisibilityAttributes } from './PatientScope.js';
export type { AuthenticationMethod, Principal } from './Principal.js';
export { hashPassword, verifyPassword } from './passwordHash.js';
export { loadJwtSecret } from './loadJwtSecret.js';
export {
  isPermission,
  isRole,
  permissions,
  permissionsForRoles,
  rolePermissions,
  roles,
} from './permissions.js';
export type { Permission, Role } from './permissions.js';
export { createRateLimiter } from './createRateLimiter.js';
export type { RateLimiter } from './createRateLimiter.js';
