import { createHash, randomUUID } from 'node:crypto';
import { PacsError } from '@pacskit/dicom';
import type Database from 'better-sqlite3';
import {
  type JWTPayload,
  SignJWT,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
} from 'jose';
import type { AccessConfig, Clock, OidcIssuerConfig } from './AccessConfig.js';
import { systemClock } from './AccessConfig.js';
import type {
  AccessGrantRecord,
  AccessStore,
  ApiKeyRecord,
  GrantScopeType,
  ShareLinkRecord,
  UserRecord,
} from './AccessStore.js';
import type { AccessType, PatientScope } from './PatientScope.js';
import { allStudiesScope, emptyScope } from './PatientScope.js';
import type { AuthenticationMethod, Principal } from './Principal.js';
import { hashPassword, verifyPassword } from './passwordHash.js';
import { type Permission, type Role, isRole, permissionsForRoles } from './permissions.js';
import { createSecretToken, parseSecretToken, secretMatches } from './secretToken.js';
import { SqliteAccessStore } from './sqlite/SqliteAccessStore.js';

export type RequestHeaders = Record<string, string | string[] | undefined>;

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
}

export interface CreateUserInput {
  username: string;
  password?: string;
  displayName?: string;
  roles: Role[];
  patientIds?: string[];
}

export interface CreateGrantInput {
  granteeUserId: string;
  scopeType: GrantScopeType;
  patientId?: string;
  studyInstanceUID?: string;
  accessType: AccessType;
  consentGiven: boolean;
  expiresAt?: number;
}

export interface CreateShareLinkInput {
  studyInstanceUID: string;
  expiresInSeconds: number;
  password?: string;
  allowDownload: boolean;
}

export interface AccessControlOptions {
  /** The archive's better-sqlite3 handle; access tables are created in it. */
  db?: Database.Database;
  /** Or any AccessStore (PostgreSQL later, tests). */
  store?: AccessStore;
  config: AccessConfig;
  clock?: Clock;
}

/** Why a credential was refused; kept out of the HTTP answer (always the same 401) but audited. */
export class CredentialRejection extends Error {
  override readonly name = 'CredentialRejection';
  constructor(readonly reason: string) {
    super(reason);
  }
}

function unauthenticated(reason: string): PacsError {
  return new PacsError('UNAUTHENTICATED', 'valid credentials are required', {
    cause: new CredentialRejection(reason),
  });
}

function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Whether a grant counts now: consent given, not revoked, not expired (issue 5). */
export function isGrantActive(grant: AccessGrantRecord, now: number): boolean {
  return (
    grant.consentGiven &&
    grant.revokedAt === undefined &&
    (grant.expiresAt === undefined || grant.expiresAt > now)
  );
}

/**
 * Identity and access: authenticates any of our credentials into a `Principal`, checks
 * permissions, and computes patient scope from linked PatientIDs and active grants. Stateless
 * across requests except for the store; safe to share between HTTP and DIMSE front ends.
 */
export function createAccessControl(options: AccessControlOptions) {
  const store: AccessStore =
    options.store ??
    (options.db
      ? new SqliteAccessStore(options.db)
      : (() => {
          throw new PacsError('INVALID_ARGUMENT', 'createAccessControl needs a db or a store');
        })());
  const config = options.config;
  if (config.jwtSecret.byteLength < 32)
    throw new PacsError('INVALID_ARGUMENT', 'jwtSecret must be 32 bytes or more');
  const clock = options.clock ?? systemClock;
  const issuer = config.issuer ?? 'pacskit';
  const audience = config.audience ?? 'pacskit-api';
  const accessTtl = config.accessTokenTtlSeconds ?? 900;
  const refreshTtl = config.refreshTokenTtlSeconds ?? 30 * 24 * 3600;
  const maxShareTtl = config.maxShareLinkTtlSeconds ?? 30 * 24 * 3600;
  const jwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  /** Basic credentials verified recently, by digest of the header: scrypt once a minute, not per request. */
  const basicCache = new Map<string, { userId: string; until: number }>();
  const basicVerifying = new Map<string, Promise<UserRecord>>();
  const dummyHash = `scrypt$${2 ** (config.passwordHashCost ?? 15)}$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
  const nowSeconds = () => Math.floor(clock.now() / 1000);
  const currentDate = () => new Date(clock.now());

  async function scopeForUser(user: UserRecord, rolesInEffect: readonly Role[]): Promise<PatientScope> {
    if (rolesInEffect.some((r) => r !== 'PATIENT')) return allStudiesScope;
    if (!rolesInEffect.includes('PATIENT')) return emptyScope;
    const now = clock.now();
    const patientIds = new Set<string>();
    const studies = new Set<string>();
    const accessTypes = new Set<AccessType>();
    for (const grant of await store.listGrants({ granteeUserId: user.id })) {
      if (!isGrantActive(grant, now)) continue;
      if (grant.scopeType === 'all') {
        for (const id of user.patientIds) patientIds.add(id);
      } else if (grant.patientId !== undefined && user.patientIds.includes(grant.patientId)) {
        if (grant.scopeType === 'patient') patientIds.add(grant.patientId);
        else if (grant.studyInstanceUID !== undefined) studies.add(grant.studyInstanceUID);
      } else continue;
      accessTypes.add('view');
      if (grant.accessType === 'download') accessTypes.add('download');
    }
    return {
      patientIds: [...patientIds],
      ...(studies.size > 0 ? { studyInstanceUIDs: [...studies] } : {}),
      accessTypes: [...accessTypes],
    };
  }

  async function principalForUser(
    user: UserRecord,
    method: AuthenticationMethod,
    extra: Partial<Principal> = {},
  ): Promise<Principal> {
    const roles = extra.roles ?? user.roles;
    const permissions = permissionsForRoles(roles);
    return {
      subject: `user:${user.id}`,
      admin: permissions.includes('radiology:manage'),
      userId: user.id,
      displayName: user.username,
      roles,
      permissions,
      method,
      patientScope: await scopeForUser(user, roles),
      ...extra,
    };
  }

  async function activeUser(userId: string): Promise<UserRecord> {
    const user = await store.findUserById(userId);
    if (!user || user.disabled) throw unauthenticated('unknown or disabled user');
    return user;
  }

  async function signAccessToken(
    claims: Record<string, unknown>,
    subject: string,
    ttl: number,
  ): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setJti(randomUUID())
      .setIssuedAt(nowSeconds())
      .setExpirationTime(nowSeconds() + ttl)
      .sign(config.jwtSecret);
  }

  async function issueTokens(user: UserRecord): Promise<TokenPair> {
    const refresh = createSecretToken('rt');
    await store.insertRefreshToken({
      id: refresh.id,
      userId: user.id,
      secretHash: refresh.secretHash,
      expiresAt: clock.now() + refreshTtl * 1000,
      revokedAt: undefined,
      createdAt: clock.now(),
    });
    return {
      accessToken: await signAccessToken({}, user.id, accessTtl),
      tokenType: 'Bearer',
      expiresIn: accessTtl,
      refreshToken: refresh.token,
    };
  }

  async function verifyOwnJwt(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      // Only HS256 with our key: `alg: none`, RS/HS confusion and other keys all fail here.
      ({ payload } = await jwtVerify(token, config.jwtSecret, {
        issuer,
        audience,
        algorithms: ['HS256'],
        currentDate: currentDate(),
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
      }));
    } catch (error) {
      throw unauthenticated(`token rejected: ${(error as { code?: string }).code ?? 'invalid'}`);
    }
    const jti = payload.jti!;
    if (await store.isTokenIdRevoked(jti)) throw unauthenticated('token revoked');
    const shareLinkId = typeof payload.sl === 'string' ? payload.sl : undefined;
    if (shareLinkId !== undefined) return principalForShareLink(await usableShareLink(shareLinkId), jti);
    const user = await activeUser(payload.sub!);
    if ((payload.iat ?? 0) * 1000 < user.tokensValidAfter) throw unauthenticated('token revoked');
    return principalForUser(user, 'jwt', { tokenId: jti });
  }

  function oidcKeys(oidc: OidcIssuerConfig) {
    let keys = jwks.get(oidc.issuer);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(oidc.jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 });
      jwks.set(oidc.issuer, keys);
    }
    return keys;
  }

  async function verifyOidcJwt(token: string, oidc: OidcIssuerConfig): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, oidcKeys(oidc), {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: oidc.algorithms ?? ['RS256', 'ES256', 'PS256'],
        currentDate: currentDate(),
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw unauthenticated(`oidc token rejected: ${(error as { code?: string }).code ?? 'invalid'}`);
    }
    const roles = [
      ...new Set(
        stringList(claimAt(payload, oidc.rolesClaim ?? 'roles'))
          .map((name) => oidc.roleMap[name])
          .filter(isRole),
      ),
    ];
    const patientIds = oidc.patientIdClaim ? stringList(claimAt(payload, oidc.patientIdClaim)) : [];
    // Just-in-time shadow user: grants are attached to user ids, so the issuer's subject gets one.
    const username = `oidc:${oidc.issuer}#${payload.sub}`;
    let user = await store.findUserByUsername(username);
    if (!user) {
      user = {
        id: randomUUID(),
        username,
        displayName: username,
        passwordHash: undefined,
        roles,
        patientIds,
        disabled: false,
        tokensValidAfter: 0,
        createdAt: clock.now(),
      };
      await store.insertUser(user);
    } else if (
      JSON.stringify(user.roles) !== JSON.stringify(roles) ||
      JSON.stringify(user.patientIds) !== JSON.stringify(patientIds)
    ) {
      user = { ...user, roles, patientIds };
      await store.updateUser(user);
    }
    if (user.disabled) throw unauthenticated('disabled user');
    return principalForUser(user, 'oidc', { subject: username });
  }

  async function verifyBearer(token: string): Promise<Principal> {
    if (token.startsWith('pk_')) return verifyApiKey(token);
    let iss: string | undefined;
    try {
      decodeProtectedHeader(token);
      iss = decodeJwt(token).iss;
    } catch {
      throw unauthenticated('malformed token');
    }
    if (iss === issuer) return verifyOwnJwt(token);
    const oidc = config.oidc?.find((o) => o.issuer === iss);
    if (oidc) return verifyOidcJwt(token, oidc);
    throw unauthenticated('unknown issuer');
  }

  async function verifyApiKey(value: string): Promise<Principal> {
    const parsed = parseSecretToken(value, 'pk');
    if (!parsed) throw unauthenticated('malformed api key');
    const key = await store.findApiKey(parsed.id);
    if (!key || !secretMatches(parsed.secret, key.secretHash)) throw unauthenticated('unknown api key');
    if (key.revokedAt !== undefined) throw unauthenticated('api key revoked');
    const user = key.userId ? await activeUser(key.userId) : undefined;
    const permissions = permissionsForRoles(key.roles);
    const base = {
      subject: `api-key:${key.id}`,
      admin: permissions.includes('radiology:manage'),
      displayName: `api-key:${key.name}`,
      roles: key.roles,
      permissions,
      method: 'api-key' as const,
    };
    if (user) return principalForUser(user, 'api-key', { ...base, userId: user.id });
    const patientScope = key.roles.some((r) => r !== 'PATIENT') ? allStudiesScope : emptyScope;
    return { ...base, patientScope };
  }

  async function verifyBasic(encoded: string): Promise<Principal> {
    if (config.allowBasic === false) throw unauthenticated('basic disabled');
    const digest = createHash('sha256').update(encoded).digest('hex');
    const cached = basicCache.get(digest);
    if (cached && cached.until > clock.now())
      return principalForUser(await activeUser(cached.userId), 'basic');
    // Concurrent requests with the same header share one scrypt (a client opening 4 connections
    // at once cost 4 × 32 MiB and ~100 ms of CPU each).
    let verifying = basicVerifying.get(digest);
    if (!verifying) {
      verifying = verifyBasicUncached(encoded, digest).finally(() => basicVerifying.delete(digest));
      basicVerifying.set(digest, verifying);
    }
    return principalForUser(await verifying, 'basic');
  }

  async function verifyBasicUncached(encoded: string, digest: string): Promise<UserRecord> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw unauthenticated('malformed basic credentials');
    const user = await checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (basicCache.size > 1000) basicCache.clear();
    basicCache.set(digest, { userId: user.id, until: clock.now() + 60_000 });
    return user;
  }

  async function checkPassword(username: string, password: string): Promise<UserRecord> {
    const user = await store.findUserByUsername(username);
    // Same work whether or not the user exists, so timing does not reveal user names.
    const stored = user?.passwordHash ?? dummyHash;
    const ok = await verifyPassword(password, stored);
    if (!user || !ok || user.passwordHash === undefined) throw unauthenticated('bad user name or password');
    if (user.disabled) throw unauthenticated('disabled user');
    return user;
  }

  async function usableShareLink(id: string): Promise<ShareLinkRecord> {
    const link = await store.findShareLink(id);
    if (!link) throw unauthenticated('unknown share link');
    if (link.revokedAt !== undefined) throw unauthenticated('share link revoked');
    if (link.expiresAt <= clock.now()) throw unauthenticated('share link expired');
    return link;
  }

  function principalForShareLink(link: ShareLinkRecord, tokenId?: string): Principal {
    return {
      subject: `share-link:${link.id}`,
      admin: false,
      displayName: `share-link:${link.id}`,
      roles: [],
      permissions: ['radiology:view'],
      method: 'share-link',
      patientScope: {
        patientIds: [],
        studyInstanceUIDs: [link.studyInstanceUID],
        accessTypes: link.allowDownload ? ['view', 'download'] : ['view'],
      },
      shareLink: { id: link.id, studyInstanceUID: link.studyInstanceUID, allowDownload: link.allowDownload },
      ...(tokenId !== undefined ? { tokenId } : {}),
    };
  }

  async function verifyShareToken(value: string): Promise<Principal> {
    const parsed = parseSecretToken(value, 'sl');
    if (!parsed) throw unauthenticated('malformed share link');
    const link = await usableShareLink(parsed.id);
    if (!secretMatches(parsed.secret, link.secretHash)) throw unauthenticated('unknown share link');
    if (link.passwordHash !== undefined) throw unauthenticated('share link needs its password');
    await store.countShareLinkUse(link.id);
    return principalForShareLink(link);
  }

  const control = {
    store,

    /**
     * Resolves the caller from request headers: `Authorization: Bearer <our JWT | OIDC JWT | pk_…>`,
     * `Authorization: Basic`, `X-API-Key: pk_…`, `X-Share-Token: sl_…`. `undefined` when no
     * credentials were sent; throws UNAUTHENTICATED (cause: CredentialRejection) when they are bad.
     */
    async authenticate(headers: RequestHeaders): Promise<Principal | undefined> {
      const authorization = header(headers, 'authorization');
      if (authorization !== undefined) {
        const space = authorization.indexOf(' ');
        const scheme = space > 0 ? authorization.slice(0, space).toLowerCase() : authorization.toLowerCase();
        const value = space > 0 ? authorization.slice(space + 1).trim() : '';
        if (value.length > 8192) throw unauthenticated('credentials too long');
        if (scheme === 'bearer' && value !== '') return verifyBearer(value);
        if (scheme === 'basic' && value !== '') return verifyBasic(value);
        throw unauthenticated('unsupported authorization scheme');
      }
      const apiKey = header(headers, 'x-api-key');
      if (apiKey !== undefined) return verifyApiKey(apiKey);
      const share = header(headers, 'x-share-token');
      if (share !== undefined) return verifyShareToken(share);
      return undefined;
    },

    can(principal: Principal, permission: Permission): boolean {
      return principal.permissions.includes(permission);
    },

    /** Throws FORBIDDEN unless the principal holds the permission. */
    authorize(principal: Principal, permission: Permission): void {
      if (!principal.permissions.includes(permission)) {
        throw new PacsError('FORBIDDEN', 'this operation is not permitted', { details: { permission } });
      }
    },

    patientScope(principal: Principal): PatientScope {
      return principal.patientScope;
    },

    // ── users ─────────────────────────────────────────────────────────────────────────────────
    async createUser(input: CreateUserInput): Promise<UserRecord> {
      if (await store.findUserByUsername(input.username)) {
        throw new PacsError('CONFLICT', 'this user name is taken');
      }
      const user: UserRecord = {
        id: randomUUID(),
        username: input.username,
        displayName: input.displayName ?? input.username,
        passwordHash:
          input.password === undefined
            ? undefined
            : await hashPassword(input.password, config.passwordHashCost),
        roles: [...new Set(input.roles)],
        patientIds: input.patientIds ?? [],
        disabled: false,
        tokensValidAfter: 0,
        createdAt: clock.now(),
      };
      await store.insertUser(user);
      return user;
    },

    /** Password grant (demo): checks the password and issues an access + refresh token pair. */
    async login(username: string, password: string): Promise<{ user: UserRecord; tokens: TokenPair }> {
      const user = await checkPassword(username, password);
      return { user, tokens: await issueTokens(user) };
    },

    /** Refresh-token rotation: the old token is spent; presenting a spent one revokes the family. */
    async refresh(refreshToken: string): Promise<{ user: UserRecord; tokens: TokenPair }> {
      const parsed = parseSecretToken(refreshToken, 'rt');
      if (!parsed) throw unauthenticated('malformed refresh token');
      const record = await store.findRefreshToken(parsed.id);
      if (!record || !secretMatches(parsed.secret, record.secretHash))
        throw unauthenticated('unknown refresh token');
      if (record.expiresAt <= clock.now()) throw unauthenticated('refresh token expired');
      if (!(await store.revokeRefreshToken(record.id, clock.now()))) {
        // Reuse of a rotated token means it leaked (RFC 9700 4.14.2): log the user out everywhere.
        await control.revokeAllTokens(record.userId);
        throw unauthenticated('refresh token reused');
      }
      const user = await activeUser(record.userId);
      return { user, tokens: await issueTokens(user) };
    },

    /** Revokes one token (RFC 7009): an access JWT by its jti, a refresh token, or an API key by its owner. */
    async revokeToken(token: string): Promise<void> {
      const refresh = parseSecretToken(token, 'rt');
      if (refresh) {
        const record = await store.findRefreshToken(refresh.id);
        if (record && secretMatches(refresh.secret, record.secretHash))
          await store.revokeRefreshToken(record.id, clock.now());
        return;
      }
      try {
        const { payload } = await jwtVerify(token, config.jwtSecret, {
          issuer,
          audience,
          algorithms: ['HS256'],
          currentDate: currentDate(),
        });
        if (payload.jti) await store.revokeTokenId(payload.jti, (payload.exp ?? nowSeconds()) * 1000);
      } catch {
        // RFC 7009 2.2: an invalid token is not an error for revocation.
      }
    },

    async revokeAllTokens(userId: string): Promise<void> {
      const user = await store.findUserById(userId);
      if (!user) return;
      // iat has one-second resolution: tokens issued in this second or before are revoked.
      await store.updateUser({ ...user, tokensValidAfter: (nowSeconds() + 1) * 1000 });
      await store.revokeRefreshTokensOfUser(userId, clock.now());
    },

    // ── API keys ──────────────────────────────────────────────────────────────────────────────
    async createApiKey(input: { name: string; roles: Role[]; userId?: string; createdBy: string }) {
      const secret = createSecretToken('pk');
      const record: ApiKeyRecord = {
        id: secret.id,
        name: input.name,
        secretHash: secret.secretHash,
        roles: input.roles,
        userId: input.userId,
        createdBy: input.createdBy,
        createdAt: clock.now(),
        revokedAt: undefined,
      };
      await store.insertApiKey(record);
      return { key: secret.token, record };
    },

    // ── grants ────────────────────────────────────────────────────────────────────────────────
    async createGrant(input: CreateGrantInput, grantedBy: string): Promise<AccessGrantRecord> {
      const grantee = await store.findUserById(input.granteeUserId);
      if (!grantee) throw new PacsError('NOT_FOUND', 'no such user');
      if (input.scopeType !== 'all' && input.patientId === undefined) {
        throw new PacsError('INVALID_ARGUMENT', 'patientId is required for a patient or study grant');
      }
      if (input.scopeType === 'study' && input.studyInstanceUID === undefined) {
        throw new PacsError('INVALID_ARGUMENT', 'studyInstanceUID is required for a study grant');
      }
      if (input.expiresAt !== undefined && input.expiresAt <= clock.now()) {
        throw new PacsError('INVALID_ARGUMENT', 'expiresAt must be in the future');
      }
      const grant: AccessGrantRecord = {
        id: randomUUID(),
        granteeUserId: input.granteeUserId,
        scopeType: input.scopeType,
        patientId: input.patientId,
        studyInstanceUID: input.scopeType === 'study' ? input.studyInstanceUID : undefined,
        accessType: input.accessType,
        consentGiven: input.consentGiven,
        expiresAt: input.expiresAt,
        grantedBy,
        createdAt: clock.now(),
        revokedAt: undefined,
        revokedBy: undefined,
      };
      await store.insertGrant(grant);
      return grant;
    },

    isGrantActive(grant: AccessGrantRecord): boolean {
      return isGrantActive(grant, clock.now());
    },

    // ── share links ───────────────────────────────────────────────────────────────────────────
    async createShareLink(input: CreateShareLinkInput, createdBy: string) {
      if (input.expiresInSeconds <= 0 || input.expiresInSeconds > maxShareTtl) {
        throw new PacsError('INVALID_ARGUMENT', 'share link lifetime out of range', {
          details: { maxSeconds: maxShareTtl },
        });
      }
      const secret = createSecretToken('sl');
      const record: ShareLinkRecord = {
        id: secret.id,
        secretHash: secret.secretHash,
        studyInstanceUID: input.studyInstanceUID,
        passwordHash:
          input.password === undefined
            ? undefined
            : await hashPassword(input.password, config.passwordHashCost),
        allowDownload: input.allowDownload,
        expiresAt: clock.now() + input.expiresInSeconds * 1000,
        createdBy,
        createdAt: clock.now(),
        revokedAt: undefined,
        useCount: 0,
      };
      await store.insertShareLink(record);
      return { token: secret.token, record };
    },

    /**
     * Opens a share link (with its password when it has one) and returns a short-lived access
     * token bound to the link: revoking the link invalidates that token at once.
     */
    async openShareLink(token: string, password: string | undefined) {
      const parsed = parseSecretToken(token, 'sl');
      if (!parsed) throw unauthenticated('malformed share link');
      const link = await usableShareLink(parsed.id);
      if (!secretMatches(parsed.secret, link.secretHash)) throw unauthenticated('unknown share link');
      if (link.passwordHash !== undefined && !(await verifyPassword(password ?? '', link.passwordHash))) {
        throw unauthenticated('bad share link password');
      }
      await store.countShareLinkUse(link.id);
      const ttl = Math.max(1, Math.min(accessTtl, Math.floor((link.expiresAt - clock.now()) / 1000)));
      return {
        link,
        principal: principalForShareLink(link),
        accessToken: await signAccessToken({ sl: link.id }, `share-link:${link.id}`, ttl),
        expiresIn: ttl,
      };
    },
  };
  return control;
}

export type AccessControl = ReturnType<typeof createAccessControl>;
