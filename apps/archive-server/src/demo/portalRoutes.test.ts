import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type PortalRoutesOptions, portalRoutes } from './portalRoutes.js';

let distDir: string;

beforeEach(async () => {
  distDir = await mkdtemp(join(tmpdir(), 'pacskit-portal-dist-'));
});

afterEach(async () => {
  await rm(distDir, { recursive: true, force: true });
});

async function appWithPortal(options: Omit<PortalRoutesOptions, 'distDir'> = {}) {
  const app = Fastify();
  app.get('/dicom-web/studies', async () => []);
  await app.register(portalRoutes, { distDir, ...options });
  return app;
}

describe('portalRoutes', () => {
  test('serves the portal, its assets, and index.html for page URLs, but not for archive paths', async () => {
    await writeFile(join(distDir, 'index.html'), '<!doctype html><title>portal</title>');
    await mkdir(join(distDir, 'assets'));
    await writeFile(join(distDir, 'assets', 'app.js'), 'console.log(1)');
    const app = await appWithPortal();
    const html = { accept: 'text/html,application/xhtml+xml' };

    const root = await app.inject({ url: '/', headers: html });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('<title>portal</title>');
    const asset = await app.inject({ url: '/assets/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    const deepLink = await app.inject({ url: '/patient/studies', headers: html });
    expect(deepLink.statusCode).toBe(200);
    expect(deepLink.body).toContain('<title>portal</title>');

    expect((await app.inject({ url: '/dicom-web/studies' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/dicom-web/nothing-here', headers: html })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/unknown', headers: html })).statusCode).toBe(404);
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/../../etc/passwd.txt' })).statusCode).toBe(404);
    await app.close();
  });

  test('serves a file added after start (a rebuilt portal) without a restart', async () => {
    await writeFile(join(distDir, 'index.html'), '<!doctype html>');
    const app = await appWithPortal();
    await writeFile(join(distDir, 'later.js'), 'export {}');
    expect((await app.inject({ url: '/later.js' })).statusCode).toBe(200);
    await app.close();
  });

  test('serves /portal-config.json from its options', async () => {
    await writeFile(join(distDir, 'index.html'), '<!doctype html>');
    const app = await appWithPortal({ portalConfig: { orthancUrl: 'http://127.0.0.1:8042/dicom-web' } });
    const response = await app.inject({ url: '/portal-config.json' });
    expect(response.json()).toEqual({ orthancUrl: 'http://127.0.0.1:8042/dicom-web' });
    await app.close();
  });

  test('says how to build the portal when it is not built', async () => {
    const app = await appWithPortal();
    const response = await app.inject({ url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('pnpm --filter @pacskit/portal build');
    await app.close();
  });
});

describe('the Orthanc proxy of the federated mode', () => {
  test('passes GETs to the upstream DICOMweb root with their query, status and media type', async () => {
    await writeFile(join(distDir, 'index.html'), '<!doctype html>');
    const upstream = Fastify();
    upstream.get('/dicom-web/studies', async (request, reply) =>
      reply.type('application/dicom+json').send([{ '00100020': { vr: 'LO', Value: [request.url] } }]),
    );
    const address = await upstream.listen({ host: '127.0.0.1', port: 0 });
    const app = await appWithPortal({ orthancUrl: `${address}/dicom-web` });
    try {
      const response = await app.inject({ url: '/orthanc/dicom-web/studies?PatientID=X' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('application/dicom+json');
      expect(response.json()).toEqual([
        { '00100020': { vr: 'LO', Value: ['/dicom-web/studies?PatientID=X'] } },
      ]);
      expect((await app.inject({ url: '/orthanc/dicom-web/nothing' })).statusCode).toBe(404);
    } finally {
      await app.close();
      await upstream.close();
    }
  });

  test('a gzip answer from upstream reaches the portal whole (regression: Content-Length of the compressed body)', async () => {
    await writeFile(join(distDir, 'index.html'), '<!doctype html>');
    const studies = Array.from({ length: 50 }, (_, index) => ({
      '00100020': { vr: 'LO', Value: [`P${index}`] },
    }));
    const upstream = Fastify();
    upstream.get('/dicom-web/studies', async (_request, reply) =>
      reply
        .type('application/dicom+json')
        .header('content-encoding', 'gzip')
        .send(gzipSync(Buffer.from(JSON.stringify(studies)))),
    );
    const address = await upstream.listen({ host: '127.0.0.1', port: 0 });
    const app = await appWithPortal({ orthancUrl: `${address}/dicom-web` });
    try {
      // Over a real socket: inject() would not cut the body at a wrong Content-Length.
      const portal = await app.listen({ host: '127.0.0.1', port: 0 });
      const response = await fetch(`${portal}/orthanc/dicom-web/studies`);
      expect(await response.json()).toEqual(studies);
    } finally {
      await app.close();
      await upstream.close();
    }
  });

  test('authenticates proxied requests with the given hook', async () => {
    await writeFile(join(distDir, 'index.html'), '<!doctype html>');
    const app = await appWithPortal({
      orthancUrl: 'http://127.0.0.1:9/dicom-web',
      authenticate: async (_request, reply) => {
        await reply.code(401).send({ error: 'no' });
      },
    });
    expect((await app.inject({ url: '/orthanc/dicom-web/studies' })).statusCode).toBe(401);
    await app.close();
  });

  test('answers 502 when the upstream archive is down', async () => {
    await writeFile(join(distDir, 'index.html'), '<!doctype html>');
    const app = Fastify();
    // The archive's error handler maps PacsError codes to statuses; this stand-in shows the code.
    app.setErrorHandler((error: { code?: string }, _request, reply) =>
      reply.code(502).send({ code: error.code }),
    );
    await app.register(portalRoutes, { distDir, orthancUrl: 'http://127.0.0.1:9/dicom-web' });
    const response = await app.inject({ url: '/orthanc/dicom-web/studies' });
    expect(response.statusCode).toBe(502);
    expect(response.json()).toEqual({ code: 'NETWORK_ERROR' });
    await app.close();
  });
});
