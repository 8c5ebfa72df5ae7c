import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, createTestApi, studyA, studyB, type TestApi } from './testing/createTestApi.js';
import { testStorageConfig } from '../../test/testStorageConfig.js';

let api: TestApi;
beforeEach(async () => {
  api = await createTestApi(testStorageConfig());
});
afterEach(() => api.close());

const get = (url: string, token?: string) =>
  api.app.inject({ method: 'GET', url, ...(token ? { headers: bearer(token) } : {}) });
const send = (
  method: 'POST' | 'PATCH' | 'DELETE',
  url: string,
  token: string | undefined,
  payload?: unknown,
) =>
  api.app.inject({
    method,
    url,
    ...(token ? { headers: bearer(token) } : {}),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

describe('auth routes', () => {
  it('issues, refreshes and revokes tokens, and rate-limits attempts', async () => {
    const ok = await send('POST', '/api/v1/auth/token', undefined, {
      grant_type: 'password',
      username: 'rad',
      password: 'rad-password',
    });
    expect(ok.statusCode).toBe(200);
    const tokens = ok.json();
    expect(tokens.token_type).toBe('Bearer');
    expect((await get('/api/v1/me', tokens.access_token)).json().roles).toEqual(['RADIOLOGIST']);
    const refreshed = await send('POST', '/api/v1/auth/token', undefined, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(refreshed.statusCode).toBe(200);
    expect(
      (await send('POST', '/api/v1/auth/revoke', undefined, { token: refreshed.json().access_token }))
        .statusCode,
    ).toBe(200);
    expect((await get('/api/v1/me', refreshed.json().access_token)).statusCode).toBe(401);
    const bad = await send('POST', '/api/v1/auth/token', undefined, {
      grant_type: 'password',
      username: 'rad',
      password: 'nope',
    });
    expect(bad.statusCode).toBe(401);
    const unknownUser = await send('POST', '/api/v1/auth/token', undefined, {
      grant_type: 'password',
      username: 'ghost',
      password: 'nope',
    });
    expect(unknownUser.json()).toEqual(bad.json());
    const denied = await api.audit.query({ type: 'auth.token', outcome: 'denied', limit: 10 });
    expect(denied.map((r) => r.detail?.reason)).toEqual([
      'bad user name or password',
      'bad user name or password',
    ]);

    let last = 0;
    for (let i = 0; i < 20; i++) {
      last = (
        await send('POST', '/api/v1/auth/token', undefined, {
          grant_type: 'password',
          username: 'doctor',
          password: 'x',
        })
      ).statusCode;
    }
    expect(last).toBe(429);
    api.clock.t += 60_000;
    expect(
      (
        await send('POST', '/api/v1/auth/token', undefined, {
          grant_type: 'password',
          username: 'doctor',
          password: 'doctor-password',
        })
      ).statusCode,
    ).toBe(200);
  });

  it('logs a user out everywhere', async () => {
    expect((await send('POST', '/api/v1/auth/logout-all', api.users.doctor!.token)).statusCode).toBe(204);
    expect((await get('/api/v1/me', api.users.doctor!.token)).statusCode).toBe(401);
  });
});

describe('users and API keys', () => {
  it('lets admins create users and API keys that work until revoked', async () => {
    const created = await send('POST', '/api/v1/users', api.users.admin!.token, {
      username: 'nurse.joy',
      password: 'long-enough-1',
      roles: ['DOCTOR'],
    });
    expect(created.statusCode).toBe(201);
    expect(
      (await get('/api/v1/users', api.users.admin!.token))
        .json()
        .map((u: { username: string }) => u.username),
    ).toContain('nurse.joy');
    expect(
      (
        await send('POST', '/api/v1/users', api.users.rad!.token, {
          username: 'x',
          password: 'long-enough-1',
          roles: ['ADMIN'],
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await send('POST', '/api/v1/users', api.users.admin!.token, {
          username: 'nurse.joy',
          password: 'long-enough-1',
          roles: ['DOCTOR'],
        })
      ).statusCode,
    ).toBe(409);

    const key = await send('POST', '/api/v1/api-keys', api.users.admin!.token, {
      name: 'router',
      roles: ['RADIOLOGY_TECH'],
    });
    expect(key.statusCode).toBe(201);
    const me = await api.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { 'x-api-key': key.json().key },
    });
    expect(me.json().permissions).toContain('radiology:upload');
    expect(
      (await send('DELETE', `/api/v1/api-keys/${key.json().id}`, api.users.admin!.token)).statusCode,
    ).toBe(204);
    expect(
      (await api.app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'x-api-key': key.json().key } }))
        .statusCode,
    ).toBe(401);
  });
});

describe('patient scope through the API and FHIR', () => {
  it('shows a patient only their own studies, the same 404 for another patient and for nothing', async () => {
    const token = api.users.patientA!.token;
    const list = await get('/api/v1/studies', token);
    expect(list.json().map((s: Record<string, { Value: string[] }>) => s['0020000D']!.Value[0])).toEqual([
      studyA,
    ]);
    expect((await get('/api/v1/studies?PatientID=PID-B', token)).json()).toEqual([]);
    expect((await get(`/api/v1/studies/${studyA}`, token)).statusCode).toBe(200);
    const other = await get(`/api/v1/studies/${studyB}`, token);
    const missing = await get('/api/v1/studies/1.2.3.4.5.6', token);
    expect(other.statusCode).toBe(404);
    expect(other.body).toBe(missing.body);
    const hidden = await api.audit.query({ studyInstanceUID: studyB, outcome: 'denied', limit: 10 });
    expect(hidden.map((r) => [r.actor, r.type])).toEqual([[`user:${api.users.patientA!.id}`, 'study.read']]);
    // Staff see both.
    expect((await get('/api/v1/studies', api.users.doctor!.token)).json()).toHaveLength(2);
  });

  it('applies the same rules to FHIR ImagingStudy', async () => {
    const token = api.users.patientA!.token;
    const own = await get('/fhir/ImagingStudy?patient=Patient/PID-A', token);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toContain('application/fhir+json');
    expect(own.json()).toMatchObject({
      resourceType: 'Bundle',
      total: 1,
      entry: [{ resource: { id: studyA, numberOfInstances: 2 } }],
    });
    expect((await get('/fhir/ImagingStudy?patient=PID-B', token)).json().total).toBe(0);
    expect((await get(`/fhir/ImagingStudy?identifier=urn:oid:${studyB}`, token)).json().total).toBe(0);
    expect((await get(`/fhir/ImagingStudy/${studyB}`, token)).statusCode).toBe(404);
    const read = await get(`/fhir/ImagingStudy/${studyA}`, token);
    expect(read.json()).toMatchObject({
      resourceType: 'ImagingStudy',
      subject: { identifier: { value: 'PID-A' } },
      started: '2026-01-10',
    });
    expect((await get(`/fhir/ImagingStudy?identifier=ACC-B`, api.users.doctor!.token)).json().total).toBe(1);
  });

  it('stops showing studies when the grant is revoked or expires, and lets patients manage their consent', async () => {
    const token = api.users.patientA!.token;
    const grants = await get('/api/v1/access-grants', token);
    expect(grants.json()).toHaveLength(1);
    const grantId = grants.json()[0].id;
    // Revocation takes effect on the next request (scope is computed per request).
    expect((await send('DELETE', `/api/v1/access-grants/${grantId}`, token)).statusCode).toBe(204);
    expect((await get(`/api/v1/studies/${studyA}`, token)).statusCode).toBe(404);
    expect((await get('/api/v1/studies', token)).json()).toEqual([]);
    // Consent again, with an expiry.
    const again = await send('POST', '/api/v1/access-grants', token, {
      granteeUserId: api.users.patientA!.id,
      scopeType: 'patient',
      patientId: 'PID-A',
      accessType: 'view',
      consentGiven: true,
      expiresAt: new Date(api.clock.t + 600_000).toISOString(),
    });
    expect(again.statusCode).toBe(201);
    expect((await get(`/api/v1/studies/${studyA}`, token)).statusCode).toBe(200);
    api.clock.t += 600_000;
    expect((await get(`/api/v1/studies/${studyA}`, token)).statusCode).toBe(404);
    // A patient cannot grant themselves someone else's PatientID, nor grant others.
    const foreign = await send('POST', '/api/v1/access-grants', token, {
      granteeUserId: api.users.patientA!.id,
      scopeType: 'patient',
      patientId: 'PID-B',
      accessType: 'view',
      consentGiven: true,
    });
    expect(foreign.statusCode).toBe(403);
    expect(
      (await send('DELETE', `/api/v1/access-grants/${grantId}`, api.users.patientB!.token)).statusCode,
    ).toBe(404);
    // Admins see and filter all grants.
    const all = await get(`/api/v1/access-grants?patientId=PID-B`, api.users.admin!.token);
    expect(all.json().map((g: { patientId: string }) => g.patientId)).toEqual(['PID-B']);
  });
});

describe('share links', () => {
  it('opens one study, is audited on every use, and stops at revocation', async () => {
    const created = await send('POST', '/api/v1/share-links', api.users.patientA!.token, {
      studyInstanceUID: studyA,
      expiresInSeconds: 3600,
      password: 'open sesame',
    });
    expect(created.statusCode).toBe(201);
    const { token, id, url } = created.json();
    expect(url).toBe(`https://portal.example/view?share=${encodeURIComponent(token)}`);
    // Another patient's study is "not found", and a patient may not allow download without a download grant.
    expect(
      (
        await send('POST', '/api/v1/share-links', api.users.patientA!.token, {
          studyInstanceUID: studyB,
          expiresInSeconds: 3600,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await send('POST', '/api/v1/share-links', api.users.patientA!.token, {
          studyInstanceUID: studyA,
          expiresInSeconds: 3600,
          allowDownload: true,
        })
      ).statusCode,
    ).toBe(403);

    expect(
      (await send('POST', '/api/v1/share-links/open', undefined, { token, password: 'wrong' })).statusCode,
    ).toBe(401);
    const opened = await send('POST', '/api/v1/share-links/open', undefined, {
      token,
      password: 'open sesame',
    });
    expect(opened.statusCode).toBe(200);
    const linkToken = opened.json().access_token;
    expect((await get(`/api/v1/studies/${studyA}`, linkToken)).statusCode).toBe(200);
    expect((await get(`/api/v1/studies/${studyB}`, linkToken)).statusCode).toBe(404);
    expect((await get(`/fhir/ImagingStudy/${studyB}`, linkToken)).statusCode).toBe(404);
    expect(
      (
        await send('POST', '/api/v1/share-links', linkToken, {
          studyInstanceUID: studyA,
          expiresInSeconds: 3600,
        })
      ).statusCode,
    ).toBe(403);

    expect(
      (await get('/api/v1/share-links', api.users.patientA!.token)).json().map((l: { id: string }) => l.id),
    ).toEqual([id]);
    expect((await send('DELETE', `/api/v1/share-links/${id}`, api.users.patientB!.token)).statusCode).toBe(
      404,
    );
    expect((await send('DELETE', `/api/v1/share-links/${id}`, api.users.patientA!.token)).statusCode).toBe(
      204,
    );
    const reused = await send('POST', '/api/v1/share-links/open', undefined, {
      token,
      password: 'open sesame',
    });
    expect(reused.statusCode).toBe(401);
    expect((await get(`/api/v1/studies/${studyA}`, linkToken)).statusCode).toBe(401);
    const uses = await api.audit.query({ type: 'share-link.open', limit: 10 });
    expect(uses.map((u) => [u.outcome, u.detail?.reason ?? null])).toEqual([
      ['denied', 'bad share link password'],
      ['success', null],
      ['denied', 'share link revoked'],
    ]);
  });
});
