import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OpenedTestStores, storeBackends } from '../adapters/contract/storeBackends.js';
import type { AccessStore } from './AccessStore.js';
import { type AccessControl, createAccessControl } from './createAccessControl.js';
import { SqliteAccessStore } from './sqlite/SqliteAccessStore.js';

const secret = new TextEncoder().encode('a-test-secret-that-is-at-least-32-bytes-long');
const clock = {
  t: Date.UTC(2026, 0, 1),
  now() {
    return this.t;
  },
};

function setup(
  store: AccessStore,
  extra: Partial<Parameters<typeof createAccessControl>[0]['config']> = {},
): AccessControl {
  return createAccessControl({
    store,
    config: { jwtSecret: secret, passwordHashCost: 12, ...extra },
    clock,
  });
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'resolved';
}

// The same cases on the embedded SQLite file and on PostgreSQL (the scale-out mode).
describe.each(storeBackends())('createAccessControl on $name', (backend) => {
  let stores: OpenedTestStores;
  let access: AccessControl;
  beforeEach(async () => {
    clock.t = Date.UTC(2026, 0, 1);
    stores = await backend.open();
    access = setup(stores.access);
  }, 30_000);

  it('checks the password once for Basic credentials that arrive on several requests at the same time', async () => {
    await access.createUser({ username: 'rad', password: 'correct horse', roles: ['RADIOLOGIST'] });
    let lookups = 0;
    const counted = new Proxy(stores.access, {
      get(target, property, receiver) {
        if (property === 'findUserByUsername') lookups++;
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const shared = setup(counted);
    const headers = { authorization: `Basic ${Buffer.from('rad:correct horse').toString('base64')}` };
    const principals = await Promise.all(Array.from({ length: 4 }, () => shared.authenticate(headers)));
    expect(principals.map((principal) => principal?.displayName)).toEqual(['rad', 'rad', 'rad', 'rad']);
    expect(lookups).toBe(1);
    const wrong = { authorization: `Basic ${Buffer.from('rad:wrong').toString('base64')}` };
    const refused = await Promise.all(Array.from({ length: 2 }, () => rejection(shared.authenticate(wrong))));
    expect(refused).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
  });

  it('issues a token pair for the right password and resolves it to a principal with the role permissions', async () => {
    await access.createUser({ username: 'rad', password: 'correct horse', roles: ['RADIOLOGIST'] });
    const { tokens } = await access.login('rad', 'correct horse');
    const principal = await access.authenticate({ authorization: `Bearer ${tokens.accessToken}` });
    expect(principal?.displayName).toBe('rad');
    expect(principal?.permissions).toContain('radiology:report');
    expect(principal?.permissions).not.toContain('radiology:manage');
    expect(principal?.patientScope).toEqual({ allStudies: true });
    expect(() => access.authorize(principal!, 'radiology:manage')).toThrow(/not permitted/);
    expect(await rejection(access.login('rad', 'wrong'))).toBe('UNAUTHENTICATED');
    expect(await rejection(access.login('nobody', 'correct horse'))).toBe('UNAUTHENTICATED');
  });

  it('returns undefined without credentials and rejects forged, alg:none, expired and revoked tokens', async () => {
    expect(await access.authenticate({})).toBeUndefined();
    const user = await access.createUser({ username: 'u', password: 'pw-pw-pw', roles: ['DOCTOR'] });
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('pacskit')
      .setAudience('pacskit-api')
      .setSubject(user.id)
      .setJti('x')
      .setIssuedAt(clock.t / 1000)
      .setExpirationTime(clock.t / 1000 + 60)
      .sign(new TextEncoder().encode('another-secret-another-secret-another-secret'));
    expect(await rejection(access.authenticate({ authorization: `Bearer ${forged}` }))).toBe(
      'UNAUTHENTICATED',
    );
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: 'pacskit', aud: 'pacskit-api', sub: user.id, jti: 'y', iat: clock.t / 1000, exp: clock.t / 1000 + 60 })}.`;
    expect(await rejection(access.authenticate({ authorization: `Bearer ${none}` }))).toBe('UNAUTHENTICATED');
    expect(await rejection(access.authenticate({ authorization: 'Bearer not.a.jwt' }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await rejection(access.authenticate({ authorization: 'Digest abc' }))).toBe('UNAUTHENTICATED');

    const { tokens } = await access.login('u', 'pw-pw-pw');
    clock.t += 901_000;
    expect(await rejection(access.authenticate({ authorization: `Bearer ${tokens.accessToken}` }))).toBe(
      'UNAUTHENTICATED',
    );
    const fresh = (await access.login('u', 'pw-pw-pw')).tokens;
    await access.revokeToken(fresh.accessToken);
    expect(await rejection(access.authenticate({ authorization: `Bearer ${fresh.accessToken}` }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('rotates refresh tokens and treats reuse of a spent one as theft', async () => {
    await access.createUser({ username: 'u', password: 'pw-pw-pw', roles: ['DOCTOR'] });
    const first = (await access.login('u', 'pw-pw-pw')).tokens;
    const second = (await access.refresh(first.refreshToken)).tokens;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await rejection(access.refresh(first.refreshToken))).toBe('UNAUTHENTICATED');
    // The whole family is revoked after the reuse.
    expect(await rejection(access.refresh(second.refreshToken))).toBe('UNAUTHENTICATED');
    expect(await rejection(access.authenticate({ authorization: `Bearer ${second.accessToken}` }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('spends a refresh token once when two processes are handed it at the same moment', async () => {
    // On PostgreSQL the second process is another store on the same database; on SQLite the same.
    const other = setup(stores.openAnother ? (await stores.openAnother()).access : stores.access);
    await access.createUser({ username: 'u', password: 'pw-pw-pw', roles: ['RADIOLOGIST'] });
    const { refreshToken } = (await access.login('u', 'pw-pw-pw')).tokens;
    const outcomes = await Promise.allSettled([access.refresh(refreshToken), other.refresh(refreshToken)]);
    // Exactly one rotation; the other process sees a spent token (reuse) and refuses it.
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('refuses a second user with a taken name with CONFLICT', async () => {
    await access.createUser({ username: 'twin', password: 'pw-pw-pw', roles: ['RADIOLOGIST'] });
    expect(
      await rejection(access.createUser({ username: 'twin', password: 'pw-pw-pw', roles: ['RADIOLOGIST'] })),
    ).toBe('CONFLICT');
  });

  it('accepts Basic for legacy clients and API keys until revoked', async () => {
    const admin = await access.createUser({ username: 'admin', password: 'admin-pw', roles: ['ADMIN'] });
    const basic = `Basic ${Buffer.from('admin:admin-pw').toString('base64')}`;
    expect((await access.authenticate({ authorization: basic }))?.admin).toBe(true);
    expect(
      await rejection(
        access.authenticate({ authorization: `Basic ${Buffer.from('admin:x').toString('base64')}` }),
      ),
    ).toBe('UNAUTHENTICATED');
    const { key, record } = await access.createApiKey({
      name: 'router',
      roles: ['RADIOLOGY_TECH'],
      createdBy: admin.id,
    });
    const viaHeader = await access.authenticate({ 'x-api-key': key });
    expect(viaHeader?.permissions).toContain('radiology:upload');
    expect((await access.authenticate({ authorization: `Bearer ${key}` }))?.method).toBe('api-key');
    expect(await rejection(access.authenticate({ 'x-api-key': `${key.slice(0, -2)}AA` }))).toBe(
      'UNAUTHENTICATED',
    );
    await access.store.revokeApiKey(record.id, clock.t);
    expect(await rejection(access.authenticate({ 'x-api-key': key }))).toBe('UNAUTHENTICATED');
  });

  it('gives a patient only the studies of linked PatientIDs under an active grant', async () => {
    const patient = await access.createUser({
      username: 'p',
      password: 'pw-pw-pw',
      roles: ['PATIENT'],
      patientIds: ['PID-1'],
    });
    const login = async () =>
      (await access.authenticate({
        authorization: `Bearer ${(await access.login('p', 'pw-pw-pw')).tokens.accessToken}`,
      }))!;
    expect((await login()).patientScope).toEqual({ patientIds: [], accessTypes: [] });
    await access.createGrant(
      {
        granteeUserId: patient.id,
        scopeType: 'patient',
        patientId: 'PID-1',
        accessType: 'view',
        consentGiven: false,
      },
      'admin',
    );
    expect((await login()).patientScope).toEqual({ patientIds: [], accessTypes: [] });
    // A grant on a PatientID that is not linked to the user gives nothing.
    await access.createGrant(
      {
        granteeUserId: patient.id,
        scopeType: 'patient',
        patientId: 'PID-2',
        accessType: 'view',
        consentGiven: true,
      },
      'admin',
    );
    expect((await login()).patientScope).toEqual({ patientIds: [], accessTypes: [] });
    const grant = await access.createGrant(
      {
        granteeUserId: patient.id,
        scopeType: 'patient',
        patientId: 'PID-1',
        accessType: 'download',
        consentGiven: true,
        expiresAt: clock.t + 3600_000,
      },
      'admin',
    );
    expect((await login()).patientScope).toEqual({
      patientIds: ['PID-1'],
      accessTypes: ['view', 'download'],
    });
    clock.t += 3600_000;
    expect((await login()).patientScope).toEqual({ patientIds: [], accessTypes: [] });
    clock.t -= 3600_000;
    await access.store.revokeGrant(grant.id, clock.t, 'admin');
    expect((await login()).patientScope).toEqual({ patientIds: [], accessTypes: [] });
    await access.createGrant(
      {
        granteeUserId: patient.id,
        scopeType: 'study',
        patientId: 'PID-1',
        studyInstanceUID: '1.2.3',
        accessType: 'view',
        consentGiven: true,
      },
      'admin',
    );
    expect((await login()).patientScope).toEqual({
      patientIds: [],
      studyInstanceUIDs: ['1.2.3'],
      accessTypes: ['view'],
    });
  });

  it('opens share links (with password), binds the issued token to the link and refuses it after revocation', async () => {
    const open = await access.createShareLink(
      { studyInstanceUID: '1.2.3', expiresInSeconds: 3600, allowDownload: false },
      'u1',
    );
    const direct = await access.authenticate({ 'x-share-token': open.token });
    expect(direct?.patientScope).toEqual({
      patientIds: [],
      studyInstanceUIDs: ['1.2.3'],
      accessTypes: ['view'],
    });
    const locked = await access.createShareLink(
      { studyInstanceUID: '1.2.4', expiresInSeconds: 3600, allowDownload: true, password: 'sesame' },
      'u1',
    );
    expect(await rejection(access.authenticate({ 'x-share-token': locked.token }))).toBe('UNAUTHENTICATED');
    expect(await rejection(access.openShareLink(locked.token, 'wrong'))).toBe('UNAUTHENTICATED');
    const opened = await access.openShareLink(locked.token, 'sesame');
    const viaToken = await access.authenticate({ authorization: `Bearer ${opened.accessToken}` });
    expect(viaToken?.shareLink?.studyInstanceUID).toBe('1.2.4');
    await access.store.revokeShareLink(locked.record.id, clock.t);
    expect(await rejection(access.authenticate({ authorization: `Bearer ${opened.accessToken}` }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await rejection(access.openShareLink(locked.token, 'sesame'))).toBe('UNAUTHENTICATED');
    clock.t += 3601_000;
    expect(await rejection(access.authenticate({ 'x-share-token': open.token }))).toBe('UNAUTHENTICATED');
    expect((await access.store.findShareLink(locked.record.id))?.useCount).toBe(1);
  });
});

describe('OpenID Connect issuer', () => {
  const issuer = 'https://login.example.test/realms/portal';
  let jwksUrl = '';
  let close: () => void = () => {};
  let privateKey: CryptoKey;
  let strangerKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    close = () => server.close();
  });
  afterAll(() => close());

  const sign = (key: CryptoKey, claims: Record<string, unknown>, audience = 'pacskit') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('ext-42')
      .setIssuedAt(clock.t / 1000)
      .setExpirationTime(clock.t / 1000 + 300)
      .sign(key);

  it('verifies tokens against the issuer JWKS and maps claims to roles and patient ids', async () => {
    const access = setup(new SqliteAccessStore(new Database(':memory:')), {
      oidc: [
        {
          issuer,
          audience: 'pacskit',
          jwksUri: jwksUrl,
          rolesClaim: 'realm_access.roles',
          roleMap: { 'portal-patient': 'PATIENT', 'portal-doctor': 'DOCTOR' },
          patientIdClaim: 'patient_id',
        },
      ],
    });
    const token = await sign(privateKey, {
      realm_access: { roles: ['portal-patient', 'other'] },
      patient_id: 'PID-9',
    });
    const principal = await access.authenticate({ authorization: `Bearer ${token}` });
    expect(principal?.method).toBe('oidc');
    expect(principal?.roles).toEqual(['PATIENT']);
    const shadow = await access.store.findUserById(principal!.userId!);
    expect(shadow?.patientIds).toEqual(['PID-9']);
    expect(
      await rejection(access.authenticate({ authorization: `Bearer ${await sign(strangerKey, {})}` })),
    ).toBe('UNAUTHENTICATED');
    expect(
      await rejection(
        access.authenticate({ authorization: `Bearer ${await sign(privateKey, {}, 'someone-else')}` }),
      ),
    ).toBe('UNAUTHENTICATED');
  });
});
