import type Database from 'better-sqlite3';
import type {
  AccessGrantRecord,
  AccessStore,
  ApiKeyRecord,
  GrantScopeType,
  RefreshTokenRecord,
  ShareLinkRecord,
  UserRecord,
} from '../AccessStore.js';
import type { AccessType } from '../PatientScope.js';
import type { Role } from '../permissions.js';

/** Tables of the access module, prefixed `access_` so they never collide with the index's. */
const migration = `
CREATE TABLE IF NOT EXISTS access_users (
  id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, password_hash TEXT,
  roles TEXT NOT NULL, patient_ids TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
  tokens_valid_after INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS access_api_keys (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_hash TEXT NOT NULL, roles TEXT NOT NULL, user_id TEXT,
  created_by TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER
);
CREATE TABLE IF NOT EXISTS access_refresh_tokens (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, secret_hash TEXT NOT NULL, expires_at INTEGER NOT NULL,
  revoked_at INTEGER, created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS access_refresh_tokens_user ON access_refresh_tokens (user_id);
CREATE TABLE IF NOT EXISTS access_revoked_tokens (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS access_grants (
  id TEXT PRIMARY KEY, grantee_user_id TEXT NOT NULL, scope_type TEXT NOT NULL, patient_id TEXT, study_uid TEXT,
  access_type TEXT NOT NULL, consent_given INTEGER NOT NULL, expires_at INTEGER, granted_by TEXT NOT NULL,
  created_at INTEGER NOT NULL, revoked_at INTEGER, revoked_by TEXT
);
CREATE INDEX IF NOT EXISTS access_grants_grantee ON access_grants (grantee_user_id);
CREATE TABLE IF NOT EXISTS access_share_links (
  id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, study_uid TEXT NOT NULL, password_hash TEXT,
  allow_download INTEGER NOT NULL, expires_at INTEGER NOT NULL, created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL, revoked_at INTEGER, use_count INTEGER NOT NULL DEFAULT 0
);
`;

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

export const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

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

/** The AccessStore on a better-sqlite3 handle (the archive's database or one of its own). */
export class SqliteAccessStore implements AccessStore {
  /** The lookups every authenticated request makes, prepared once (preparing costs more than running). */
  private readonly lookups: Map<string, Database.Statement>;

  constructor(private readonly db: Database.Database) {
    db.exec(migration);
    this.lookups = new Map(
      [
        'SELECT * FROM access_users WHERE id = ?',
        'SELECT * FROM access_users WHERE username = ?',
        'SELECT * FROM access_api_keys WHERE id = ?',
        'SELECT 1 FROM access_revoked_tokens WHERE jti = ?',
        'SELECT * FROM access_share_links WHERE id = ?',
      ].map((sql) => [sql, db.prepare(sql)]),
    );
  }

  private lookup<Row>(sql: string, key: string): Row | undefined {
    return (this.lookups.get(sql) as Database.Statement<[string], Row>).get(key);
  }

  async insertUser(user: UserRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO access_users (id, username, display_name, password_hash, roles, patient_ids, disabled,
           tokens_valid_after, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        user.id,
        user.username,
        user.displayName,
        user.passwordHash ?? null,
        JSON.stringify(user.roles),
        JSON.stringify(user.patientIds),
        user.disabled ? 1 : 0,
        user.tokensValidAfter,
        user.createdAt,
      );
  }

  async updateUser(user: UserRecord): Promise<void> {
    this.db
      .prepare(
        `UPDATE access_users SET username = ?, display_name = ?, password_hash = ?, roles = ?, patient_ids = ?,
           disabled = ?, tokens_valid_after = ? WHERE id = ?`,
      )
      .run(
        user.username,
        user.displayName,
        user.passwordHash ?? null,
        JSON.stringify(user.roles),
        JSON.stringify(user.patientIds),
        user.disabled ? 1 : 0,
        user.tokensValidAfter,
        user.id,
      );
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    const row = this.lookup<UserRow>('SELECT * FROM access_users WHERE id = ?', id);
    return row ? toUser(row) : undefined;
  }

  async findUserByUsername(username: string): Promise<UserRecord | undefined> {
    const row = this.lookup<UserRow>('SELECT * FROM access_users WHERE username = ?', username);
    return row ? toUser(row) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.db
      .prepare<[], UserRow>('SELECT * FROM access_users ORDER BY created_at, id')
      .all()
      .map(toUser);
  }

  async insertApiKey(key: ApiKeyRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO access_api_keys (id, name, secret_hash, roles, user_id, created_by, created_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        key.id,
        key.name,
        key.secretHash,
        JSON.stringify(key.roles),
        key.userId ?? null,
        key.createdBy,
        key.createdAt,
        key.revokedAt ?? null,
      );
  }

  async findApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.lookup<ApiKeyRow>('SELECT * FROM access_api_keys WHERE id = ?', id);
    return row ? toApiKey(row) : undefined;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.db
      .prepare<[], ApiKeyRow>('SELECT * FROM access_api_keys ORDER BY created_at, id')
      .all()
      .map(toApiKey);
  }

  async revokeApiKey(id: string, at: number): Promise<boolean> {
    return (
      this.db
        .prepare('UPDATE access_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
        .run(at, id).changes === 1
    );
  }

  async insertRefreshToken(token: RefreshTokenRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO access_refresh_tokens (id, user_id, secret_hash, expires_at, revoked_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        token.id,
        token.userId,
        token.secretHash,
        token.expiresAt,
        token.revokedAt ?? null,
        token.createdAt,
      );
  }

  async findRefreshToken(id: string): Promise<RefreshTokenRecord | undefined> {
    const row = this.db
      .prepare<[string], RefreshRow>('SELECT * FROM access_refresh_tokens WHERE id = ?')
      .get(id);
    if (!row) return undefined;
    return {
      id: row.id,
      userId: row.user_id,
      secretHash: row.secret_hash,
      expiresAt: row.expires_at,
      revokedAt: orUndefined(row.revoked_at),
      createdAt: row.created_at,
    };
  }

  async revokeRefreshToken(id: string, at: number): Promise<boolean> {
    return (
      this.db
        .prepare('UPDATE access_refresh_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
        .run(at, id).changes === 1
    );
  }

  async revokeRefreshTokensOfUser(userId: string, at: number): Promise<void> {
    this.db
      .prepare('UPDATE access_refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL')
      .run(at, userId);
  }

  async revokeTokenId(jti: string, expiresAt: number): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO access_revoked_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT(jti) DO NOTHING',
      )
      .run(jti, expiresAt);
  }

  async isTokenIdRevoked(jti: string): Promise<boolean> {
    return this.lookup('SELECT 1 FROM access_revoked_tokens WHERE jti = ?', jti) !== undefined;
  }

  async insertGrant(grant: AccessGrantRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO access_grants (id, grantee_user_id, scope_type, patient_id, study_uid, access_type,
           consent_given, expires_at, granted_by, created_at, revoked_at, revoked_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
      );
  }

  async findGrant(id: string): Promise<AccessGrantRecord | undefined> {
    const row = this.db.prepare<[string], GrantRow>('SELECT * FROM access_grants WHERE id = ?').get(id);
    return row ? toGrant(row) : undefined;
  }

  async listGrants(filter: { granteeUserId?: string; patientId?: string }): Promise<AccessGrantRecord[]> {
    return this.db
      .prepare<[string | null, string | null, string | null, string | null], GrantRow>(
        `SELECT * FROM access_grants WHERE (? IS NULL OR grantee_user_id = ?) AND (? IS NULL OR patient_id = ?)
         ORDER BY created_at, id`,
      )
      .all(
        filter.granteeUserId ?? null,
        filter.granteeUserId ?? null,
        filter.patientId ?? null,
        filter.patientId ?? null,
      )
      .map(toGrant);
  }

  async revokeGrant(id: string, at: number, by: string): Promise<boolean> {
    return (
      this.db
        .prepare(
          'UPDATE access_grants SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL',
        )
        .run(at, by, id).changes === 1
    );
  }

  async insertShareLink(link: ShareLinkRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO access_share_links (id, secret_hash, study_uid, password_hash, allow_download, expires_at,
           created_by, created_at, revoked_at, use_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
      );
  }

  async findShareLink(id: string): Promise<ShareLinkRecord | undefined> {
    const row = this.lookup<ShareRow>('SELECT * FROM access_share_links WHERE id = ?', id);
    return row ? toShare(row) : undefined;
  }

  async listShareLinks(filter: {
    studyInstanceUID?: string;
    createdBy?: string;
  }): Promise<ShareLinkRecord[]> {
    return this.db
      .prepare<[string | null, string | null, string | null, string | null], ShareRow>(
        `SELECT * FROM access_share_links WHERE (? IS NULL OR study_uid = ?) AND (? IS NULL OR created_by = ?)
         ORDER BY created_at, id`,
      )
      .all(
        filter.studyInstanceUID ?? null,
        filter.studyInstanceUID ?? null,
        filter.createdBy ?? null,
        filter.createdBy ?? null,
      )
      .map(toShare);
  }

  async revokeShareLink(id: string, at: number): Promise<boolean> {
    return (
      this.db
        .prepare('UPDATE access_share_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
        .run(at, id).changes === 1
    );
  }

  async countShareLinkUse(id: string): Promise<void> {
    this.db.prepare('UPDATE access_share_links SET use_count = use_count + 1 WHERE id = ?').run(id);
  }
}
