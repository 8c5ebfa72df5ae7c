import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApi, studyA, studyB, type TestApi } from './testing/createTestApi.js';
import { testStorageConfig } from '../../test/testStorageConfig.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi(testStorageConfig());
});
afterAll(() => api.close());

async function expectAudited<R extends { statusCode: number; body: string }>(
  status: number,
  run: () => Promise<R>,
): Promise<R> {
  const before = (await api.audit.query({ limit: 1000 })).length;
  const response = await run();
  expect(response.statusCode).toBe(status);
  const after = await api.audit.query({ limit: 1000 });
  expect(after.length).toBe(before + 1);
  expect(after.at(-1)?.detail?.status).toBe(status);
  return response;
}

const admin = () => bearer(api.users.admin!.token);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('bad input', () => {
  it('answers malformed JSON with 400 and audits it', async () => {
    const response = await expectAudited(400, () =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { ...admin(), 'content-type': 'application/json' },
        payload: '{"patientId": "PID-A",',
      }),
    );
    expect(response.json().error.code).toBe('INVALID_ARGUMENT');
  });

  it('refuses prototype pollution, wrong types and unknown fields with 400', async () => {
    await expectAudited(400, () =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { ...admin(), 'content-type': 'application/json' },
        payload: '{"__proto__": {"admin": true}, "patientId": "P"}',
      }),
    );
    const wrongType = await expectAudited(400, () =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: admin(),
        payload: { patientId: 42, patientName: ['x'], modality: 'CT' },
      }),
    );
    expect(wrongType.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['patientId', 'patientName']),
    );
    const unknown = await expectAudited(400, () =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: admin(),
        payload: { patientId: 'P', patientName: 'A^B', modality: 'CT', status: 'verified' },
      }),
    );
    expect(JSON.stringify(unknown.json())).toContain('Unrecognized key');
    await expectAudited(400, () =>
      api.app.inject({ method: 'GET', url: '/api/v1/orders?limit=abc', headers: admin() }),
    );
    await expectAudited(400, () =>
      api.app.inject({ method: 'GET', url: '/api/v1/orders?extra=1', headers: admin() }),
    );
  });

  it('refuses oversize bodies with 413 and other media types with 415', async () => {
    const response = await expectAudited(413, () =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/report-templates',
        headers: bearer(api.users.rad!.token),
        payload: { name: 'big', findings: 'x'.repeat(300_000) },
      }),
    );
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    await expectAudited(415, () =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { ...admin(), 'content-type': 'text/plain' },
        payload: 'patientId=1',
      }),
    );
  });

  it('treats SQL and path injection attempts as data: validated away or matching nothing', async () => {
    const injection = "' OR '1'='1' --";
    expect(
      (
        await api.app.inject({
          method: 'GET',
          url: `/api/v1/studies?PatientID=${encodeURIComponent(injection)}`,
          headers: admin(),
        })
      ).json(),
    ).toEqual([]);
    expect(
      (
        await api.app.inject({
          method: 'GET',
          url: `/api/v1/orders?patientId=${encodeURIComponent(injection)}`,
          headers: admin(),
        })
      ).json(),
    ).toEqual([]);
    await expectAudited(400, () =>
      api.app.inject({
        method: 'GET',
        url: `/api/v1/studies/${encodeURIComponent(`${studyA}' OR 1=1`)}`,
        headers: admin(),
      }),
    );
    await expectAudited(400, () =>
      api.app.inject({
        method: 'GET',
        url: `/api/v1/orders/${encodeURIComponent('../../etc/passwd')}`,
        headers: admin(),
      }),
    );
    await expectAudited(400, () =>
      api.app.inject({ method: 'GET', url: '/fhir/ImagingStudy/..%2F..%2Fetc%2Fpasswd', headers: admin() }),
    );
    await expectAudited(400, () =>
      api.app.inject({
        method: 'GET',
        url: `/api/v1/audit?type=${encodeURIComponent("x'; DROP TABLE audit_events;--")}`,
        headers: admin(),
      }),
    );
    // The tables are intact and the chain verifies.
    expect((await api.audit.verify()).ok).toBe(true);
    const order = await api.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: admin(),
      payload: {
        patientId: injection,
        patientName: 'Robert^Tables',
        modality: 'CT',
        clinicalIndication: "'); DROP TABLE wf_orders;--",
      },
    });
    expect(order.statusCode).toBe(201);
    expect((await api.workflow.orders.get(order.json().id))?.clinicalIndication).toBe(
      "'); DROP TABLE wf_orders;--",
    );
  });
});

describe('bad tokens', () => {
  const secret = new TextEncoder().encode('test-secret-test-secret-test-secret-42');
  const claims = () => ({
    iss: 'pacskit',
    aud: 'pacskit-api',
    sub: api.users.admin!.id,
    jti: crypto.randomUUID(),
    iat: Math.floor(api.clock.t / 1000),
    exp: Math.floor(api.clock.t / 1000) + 300,
  });

  it('rejects alg:none, forged, expired, garbage and revoked tokens with the same 401, audited', async () => {
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`;
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'.repeat(40)));
    const expired = await new SignJWT({
      ...claims(),
      iat: Math.floor(api.clock.t / 1000) - 2000,
      exp: Math.floor(api.clock.t / 1000) - 1000,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secret);
    const tampered = (() => {
      const [h, , s] = api.users.doctor!.token.split('.');
      return `${h}.${b64({ ...claims(), sub: api.users.admin!.id })}.${s}`;
    })();
    const bodies = new Set<string>();
    for (const [token, reason] of [
      [none, 'token rejected'],
      [forged, 'token rejected'],
      [expired, 'token rejected'],
      [tampered, 'token rejected'],
      ['garbage', 'malformed token'],
    ] as const) {
      const response = await expectAudited(401, () =>
        api.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(token) }),
      );
      bodies.add(response.body);
      const last = (await api.audit.query({ limit: 1000 })).at(-1);
      expect(String(last?.detail?.reason)).toContain(reason);
      expect(last?.outcome).toBe('denied');
    }
    expect(bodies.size).toBe(1);
    // A well-signed token still works, and stops working once revoked.
    const valid = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    expect(
      (await api.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(valid) })).statusCode,
    ).toBe(200);
    await api.app.inject({ method: 'POST', url: '/api/v1/auth/revoke', payload: { token: valid } });
    await expectAudited(401, () =>
      api.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(valid) }),
    );
  });
});

describe('another patient by UID', () => {
  it('answers 404 exactly as for a missing study, through every API route that takes a study, and audits a denial', async () => {
    const token = api.users.patientA!.token;
    const probes = [
      `/api/v1/studies/${studyB}`,
      `/fhir/ImagingStudy/${studyB}`,
      `/api/v1/annotations?studyInstanceUID=${studyB}`,
    ];
    for (const url of probes) {
      const hidden = await expectAudited(404, () =>
        api.app.inject({ method: 'GET', url, headers: bearer(token) }),
      );
      const missing = await api.app.inject({
        method: 'GET',
        url: url.replace(studyB, '1.2.3.999'),
        headers: bearer(token),
      });
      expect(hidden.body).toBe(missing.body);
      expect((await api.audit.query({ limit: 1000 })).at(-2)?.outcome).toBe('denied');
    }
    const share = await expectAudited(404, () =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/share-links',
        headers: bearer(token),
        payload: { studyInstanceUID: studyB, expiresInSeconds: 600 },
      }),
    );
    expect(share.json().error.code).toBe('NOT_FOUND');
    expect(
      (
        await api.app.inject({
          method: 'GET',
          url: `/api/v1/reports?studyInstanceUID=${studyB}`,
          headers: bearer(token),
        })
      ).json(),
    ).toEqual([]);
  });
});
