import type {
  AccessGrantRecord,
  ApiKeyRecord,
  GrantScopeType,
  RefreshTokenRecord,
  ShareLinkRecord,
  UserRecord,
} from './AccessStore.js';
import type { AccessType } from './PatientScope.js';
import type { Role } from './permissions.js';

/**
 * The `access_*` rows as both adapters read them, and the parameters both bind, in column order.
 * The SQLite and PostgreSQL tables have the same columns and decode alike (flags are 0/1
 * integers, instants ms), so only the SQL differs between the adapters, never the mapping.
 */
export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string | null;
  roles: string;
  patient_ids: string;
  disabled: number;
  tokens_valid_after: number;
  created_at: number;
}
export interface ApiKeyRow {
  id: string;
  name: string;
  secret_hash: string;
  roles: string;
  user_id: string | null;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
}
export interface RefreshRow {
  id: string;
  user_id: string;
  secret_hash: string;
  expires_at: number;
  revoked_at: number | null;
  created_at: number;
}
export interface GrantRow {
  id: string;
  grantee_user_id: string;
  scope_type: string;
  patient_id: string | null;
  study_uid: string | null;
  access_type: string;
  consent_given: number;
  expires_at: number | null;
  granted_by: string;
  created_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
}
export interface ShareRow {
  id: string;
  secret_hash: string;
  study_uid: string;
  password_hash: string | null;
  allow_download: number;
  expires_at: number;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
  use_count: number;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    passwordHash: orUndefined(row.password_hash),
    roles: JSON.parse(row.roles) as Role[],
    patientIds: JSON.parse(row.patient_ids) as string[],
    disabled: row.disabled !== 0,
    tokensValidAfter: row.tokens_valid_after,
    createdAt: row.created_at,
  };
}
export function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    roles: JSON.parse(row.roles) as Role[],
    userId: orUndefined(row.user_id),
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: orUndefined(row.revoked_at),
  };
}
export function toRefreshToken(row: RefreshRow): RefreshTokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    secretHash: row.secret_hash,
    expiresAt: row.expires_at,
    revokedAt: orUndefined(row.revoked_at),
    createdAt: row.created_at,
  };
}
export function toGrant(row: GrantRow): AccessGrantRecord {
  return {
    id: row.id,
    granteeUserId: row.grantee_user_id,
    scopeType: row.scope_type as GrantScopeType,
    patientId: orUndefined(row.patient_id),
    studyInstanceUID: orUndefined(row.study_uid),
    accessType: row.access_type as AccessType,
    consentGiven: row.consent_given !== 0,
    expiresAt: orUndefined(row.expires_at),
    grantedBy: row.granted_by,
    createdAt: row.created_at,
    revokedAt: orUndefined(row.revoked_at),
    revokedBy: orUndefined(row.revoked_by),
  };
}
export function toShare(row: ShareRow): ShareLinkRecord {
  return {
    id: row.id,
    secretHash: row.secret_hash,
    studyInstanceUID: row.study_uid,
    passwordHash: orUndefined(row.password_hash),
    allowDownload: row.allow_download !== 0,
    expiresAt: row.expires_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: orUndefined(row.revoked_at),
    useCount: row.use_count,
  };
}

/** The columns of `access_users` after `id`, in table order (an UPDATE binds these, then the id). */
export function userColumnValues(user: UserRecord): unknown[] {
  return [
    user.username,
    user.displayName,
    user.passwordHash ?? null,
    JSON.stringify(user.roles),
    JSON.stringify(user.patientIds),
    user.disabled ? 1 : 0,
    user.tokensValidAfter,
  ];
}
/** An `access_users` row in table order. */
export function userValues(user: UserRecord): unknown[] {
  return [user.id, ...userColumnValues(user), user.createdAt];
}
/** An `access_api_keys` row in table order. */
export function apiKeyValues(key: ApiKeyRecord): unknown[] {
  return [
    key.id,
    key.name,
    key.secretHash,
    JSON.stringify(key.roles),
    key.userId ?? null,
    key.createdBy,
    key.createdAt,
    key.revokedAt ?? null,
  ];
}
/** An `access_refresh_tokens` row in table order. */
export function refreshTokenValues(token: RefreshTokenRecord): unknown[] {
  return [
    token.id,
    token.userId,
    token.secretHash,
    token.expiresAt,
    token.revokedAt ?? null,
    token.createdAt,
  ];
}
/** An `access_grants` row in table order. */
export function grantValues(grant: AccessGrantRecord): unknown[] {
  return [
    grant.id,
    grant.granteeUserId,
    grant.scopeType,
    grant.patientId ?? null,
    grant.studyInstanceUID ?? null,
    grant.accessType,
    grant.consentGiven ? 1 : 0,
    grant.expiresAt ?? null,
    grant.grantedBy,
    grant.createdAt,
    grant.revokedAt ?? null,
    grant.revokedBy ?? null,
  ];
}
/** An `access_share_links` row in table order. */
export function shareLinkValues(link: ShareLinkRecord): unknown[] {
  return [
    link.id,
    link.secretHash,
    link.studyInstanceUID,
    link.passwordHash ?? null,
    link.allowDownload ? 1 : 0,
    link.expiresAt,
    link.createdBy,
    link.createdAt,
    link.revokedAt ?? null,
    link.useCount,
  ];
}
