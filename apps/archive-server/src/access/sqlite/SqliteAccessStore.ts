import type Database from 'better-sqlite3';
import type {
  AccessGrantRecord,
  AccessStore,
  ApiKeyRecord,
  RefreshTokenRecord,
  ShareLinkRecord,
  UserRecord,
} from '../AccessStore.js';
import {
  type ApiKeyRow,
  type GrantRow,
  type RefreshRow,
  type ShareRow,
  type UserRow,
  apiKeyValues,
  grantValues,
  refreshTokenValues,
  shareLinkValues,
  toApiKey,
  toGrant,
  toRefreshToken,
  toShare,
  toUser,
  userColumnValues,
  userValues,
} from '../accessRows.js';

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
      .run(...userValues(user));
  }

  async updateUser(user: UserRecord): Promise<void> {
    this.db
      .prepare(
        `UPDATE access_users SET username = ?, display_name = ?, password_hash = ?, roles = ?, patient_ids = ?,
           disabled = ?, tokens_valid_after = ? WHERE id = ?`,
      )
      .run(...userColumnValues(user), user.id);
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
      .run(...apiKeyValues(key));
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
      .run(...refreshTokenValues(token));
  }

  async findRefreshToken(id: string): Promise<RefreshTokenRecord | undefined> {
    const row = this.db
      .prepare<[string], RefreshRow>('SELECT * FROM access_refresh_tokens WHERE id = ?')
      .get(id);
    return row ? toRefreshToken(row) : undefined;
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
      .run(...grantValues(grant));
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
      .run(...shareLinkValues(link));
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
