import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessControl } from '../access/createAccessControl.js';
import type { Principal } from '../access/Principal.js';
import { createAuditLog } from '../audit/createAuditLog.js';
import { createAuthenticateHook } from './createAuthenticateHook.js';

describe('createAuthenticateHook (for the DICOMweb front end)', () => {
  const db = new Database(':memory:');
  const clock = { now: () => Date.UTC(2026, 0, 1) };
  const access = createAccessControl({
    db,
    clock,
    config: { jwtSecret: new Uint8Array(32).fill(3), passwordHashCost: 10 },
  });
  const audit = createAuditLog({ db, clock });
  const app = Fastify();
  app.addHook('onRequest', createAuthenticateHook(access, audit));
  app.get('/dicom-web/studies', async (request) => {
    const principal = (request as unknown as { principal: Principal }).principal;
    return { subject: principal.subject, scope: principal.patientScope };
  });
  app.setErrorHandler((error, _request, reply) => {
    reply
      .code((error as { statusForHttp?: number }).statusForHttp ?? 500)
      .send({ code: (error as { code?: string }).code });
  });

  beforeAll(async () => {
    await access.createUser({ username: 'legacy', password: 'legacy-password', roles: ['RADIOLOGIST'] });
    await access.createUser({
      username: 'pat',
      password: 'pat-password',
      roles: ['PATIENT'],
      patientIds: ['P1'],
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('accepts Bearer and Basic, sets the principal with its scope, and audits refusals', async () => {
    const basic = await app.inject({
      url: '/dicom-web/studies',
      headers: { authorization: `Basic ${Buffer.from('legacy:legacy-password').toString('base64')}` },
    });
    expect(basic.json()).toMatchObject({ scope: { allStudies: true } });
    const token = (await access.login('pat', 'pat-password')).tokens.accessToken;
    const patient = await app.inject({
      url: '/dicom-web/studies',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(patient.json().scope).toEqual({ patientIds: [], accessTypes: [] });

    const anonymous = await app.inject({ url: '/dicom-web/studies' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('Basic');
    const forged = await app.inject({
      url: '/dicom-web/studies',
      headers: { authorization: 'Bearer a.b.c' },
    });
    expect(forged.statusCode).toBe(401);
    const refusals = await audit.query({ type: 'auth.rejected', limit: 10 });
    expect(refusals.map((r) => [r.outcome, r.detail?.reason])).toEqual([
      ['denied', 'no credentials'],
      ['denied', 'malformed token'],
    ]);
    expect(refusals[0]?.operation).toBe('GET /dicom-web/studies');

    // Guessing Basic passwords is slowed down: 20 rejected attempts a minute, then 429.
    const guesses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const wrong = `Basic ${Buffer.from(`legacy:guess-${i}`).toString('base64')}`;
      guesses.push(
        (await app.inject({ url: '/dicom-web/studies', headers: { authorization: wrong } })).statusCode,
      );
    }
    expect(guesses.slice(0, 18).every((s) => s === 401)).toBe(true);
    expect(guesses.at(-1)).toBe(429);
  });
});
