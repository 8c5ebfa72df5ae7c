import type { AccessType } from './PatientScope.js';
import type { Role } from './permissions.js';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string | undefined;
  roles: Role[];
  /** PatientIDs (0010,0020) this user is, for PATIENT accounts. */
  patientIds: string[];
  disabled: boolean;
  /** Tokens issued before this instant (ms) are revoked ("log out everywhere"). */
  tokensValidAfter: number;
  createdAt: number;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** SHA-256 (hex) of the secret part; the secret itself is shown once and never stored. */
  secretHash: string;
  roles: Role[];
  /** The user the key acts for (its patient links and grants), if any. */
  userId: string | undefined;
  createdBy: string;
  createdAt: number;
  revokedAt: number | undefined;
}

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  secretHash: string;
  expiresAt: number;
  revokedAt: number | undefined;
  createdAt: number;
}

export type GrantScopeType = 'patient' | 'study' | 'all';

/** Consent-based access (issue 5): who may see which patient's studies, how, until when. */
export interface AccessGrantRecord {
  id: string;
  /** The user the grant is for (a patient, or a doctor a patient shares with). */
  granteeUserId: string;
  scopeType: GrantScopeType;
  /** Required for 'patient' and 'study'; for 'all', every PatientID linked to the grantee. */
  patientId: string | undefined;
  studyInstanceUID: string | undefined;
  accessType: AccessType;
  consentGiven: boolean;
  expiresAt: number | undefined;
  grantedBy: string;
  createdAt: number;
  revokedAt: number | undefined;
  revokedBy: string | undefined;
}

export interface ShareLinkRecord {
  id: string;
  secretHash: string;
  studyInstanceUID: string;
  passwordHash: string | undefined;
  allowDownload: boolean;
  expiresAt: number;
  createdBy: string;
  createdAt: number;
  revokedAt: number | undefined;
  useCount: number;
}

/**
 * Persistence of identities and grants. All SQL lives behind this port (SQLite embedded,
 * PostgreSQL shared by several processes); every method is atomic, also across processes.
 */
export interface AccessStore {
  insertUser(user: UserRecord): Promise<void>;
  updateUser(user: UserRecord): Promise<void>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  findUserByUsername(username: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;

  insertApiKey(key: ApiKeyRecord): Promise<void>;
  findApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  revokeApiKey(id: string, at: number): Promise<boolean>;

  insertRefreshToken(token: RefreshTokenRecord): Promise<void>;
  findRefreshToken(id: string): Promise<RefreshTokenRecord | undefined>;
  /** Marks it revoked; false when it was already revoked (reuse of a rotated token). */
  revokeRefreshToken(id: string, at: number): Promise<boolean>;
  revokeRefreshTokensOfUser(userId: string, at: number): Promise<void>;

  revokeTokenId(jti: string, expiresAt: number): Promise<void>;
  isTokenIdRevoked(jti: string): Promise<boolean>;

  insertGrant(grant: AccessGrantRecord): Promise<void>;
  findGrant(id: string): Promise<AccessGrantRecord | undefined>;
  listGrants(filter: { granteeUserId?: string; patientId?: string }): Promise<AccessGrantRecord[]>;
  revokeGrant(id: string, at: number, by: string): Promise<boolean>;

  insertShareLink(link: ShareLinkRecord): Promise<void>;
  findShareLink(id: string): Promise<ShareLinkRecord | undefined>;
  listShareLinks(filter: { studyInstanceUID?: string; createdBy?: string }): Promise<ShareLinkRecord[]>;
  revokeShareLink(id: string, at: number): Promise<boolean>;
  countShareLinkUse(id: string): Promise<void>;
}
