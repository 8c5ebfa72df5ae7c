import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsForRoles } from '../access/permissions.js';
import { apiRoutes } from './apiPlugin.js';
import { bearer, createTestApi, type TestApi } from './testing/createTestApi.js';
import { testStorageConfig } from '../../test/testStorageConfig.js';

const fill = (url: string) =>
  url.replace(/:(\w+)/g, (_m, name: string) =>
    /UID$|^id$/.test(name) ? '1.2.826.0.1.3680043.10.1.1' : '00000000-0000-4000-8000-000000000000',
  );

describe('every route', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(testStorageConfig());
  });
  afterAll(() => api.close());

  const routes = apiRoutes({ workflow: { orders: {}, reports: {}, annotations: {} } } as never);

  it('is in the OpenAPI document', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe('3.1.0');
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(
        document.paths[path]?.[route.method.toLowerCase()],
        `${route.method} ${route.url}`,
      ).toBeDefined();
    }
    const orderBody = (
      document.paths['/api/v1/orders']!.post as {
        requestBody: { content: Record<string, { schema: { required: string[] } }> };
      }
    ).requestBody.content['application/json']!.schema;
    expect(orderBody.required).toEqual(expect.arrayContaining(['patientId', 'patientName', 'modality']));
  });

  it.each(routes.filter((r) => r.auth !== 'public').map((r) => [r.method, r.url] as const))(
    '%s %s refuses an anonymous caller with 401 and audits it',
    async (method, url) => {
      const before = (await api.audit.query({ outcome: 'denied', limit: 1000 })).length;
      const response = await api.app.inject({
        method,
        url: fill(url),
        payload: method === 'GET' || method === 'DELETE' ? undefined : {},
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toContain('Bearer');
      expect(response.json()).toEqual({
        error: { code: 'UNAUTHENTICATED', message: 'valid credentials are required' },
      });
      expect((await api.audit.query({ outcome: 'denied', limit: 1000 })).length).toBe(before + 1);
    },
  );

  it.each(
    routes
      .filter(
        (r) =>
          r.auth !== 'public' &&
          r.auth !== 'authenticated' &&
          !permissionsForRoles(['PATIENT']).includes(r.auth),
      )
      .map((r) => [r.method, r.url, r.auth] as const),
  )('%s %s refuses a patient (no %s) with 403', async (method, url) => {
    const response = await api.app.inject({
      method,
      url: fill(url),
      headers: bearer(api.users.patientA!.token),
      payload: method === 'GET' || method === 'DELETE' ? undefined : {},
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('FORBIDDEN');
  });

  it('sends the security headers', async () => {
    const response = await api.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(api.users.doctor!.token),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['cache-control']).toBe('no-store');
  });
});
