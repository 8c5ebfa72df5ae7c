import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { allStudiesScope } from '../access/PatientScope.js';
import type { Principal } from '../access/Principal.js';
import { createAuditLog } from '../audit/createAuditLog.js';
import { createArchive } from '../main.js';
import { createHttpAuditHook, type HttpAuditHookOptions } from './createHttpAuditHook.js';

const principal: Principal = {
  subject: 'user:reader',
  admin: false,
  displayName: 'reader',
  roles: ['RADIOLOGIST'],
  permissions: ['radiology:view'],
  method: 'basic',
  patientScope: allStudiesScope,
};
const study = '1.2.826.0.1.3680043.8.498.1';

function auditedApp(options: HttpAuditHookOptions) {
  const db = new Database(':memory:');
  const audit = createAuditLog({ db });
  const app: FastifyInstance = Fastify();
  const hook = createHttpAuditHook(audit, (url) => url.startsWith('/dicom-web'), options);
  app.addHook('onRequest', async (request) => {
    Object.assign(request, { accessPrincipal: principal });
  });
  app.addHook('onResponse', hook);
  app.addHook('onClose', hook.flush);
  app.get('/dicom-web/studies/:study/metadata', async () => '[]');
  app.get('/dicom-web/studies', async () => '[]');
  return { app, audit, db };
}

describe('createHttpAuditHook', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('group-commits access records and commits the waiting ones when the server closes', async () => {
    const { app, audit, db } = auditedApp({ flushIntervalMs: 60_000 });
    cleanups.push(() => db.close());
    for (let i = 0; i < 5; i++) await app.inject({ url: `/dicom-web/studies/${study}/metadata` });
    await app.inject({ url: '/dicom-web/studies?PatientID=P1' });
    // Still waiting for the interval: nothing committed yet.
    expect(await audit.query({ limit: 100 })).toHaveLength(0);
    await app.close();
    const records = await audit.query({ limit: 100 });
    expect(records).toHaveLength(6);
    expect(records[0]).toMatchObject({
      type: 'dicomweb.get',
      category: 'instances-accessed',
      action: 'R',
      outcome: 'success',
      actor: 'user:reader',
      operation: 'GET /dicom-web/studies/:study/metadata',
      studyInstanceUID: study,
      detail: { status: 200 },
    });
    expect(records[5]).toMatchObject({ category: 'query', action: 'E' });
    expect(await audit.verify()).toMatchObject({ ok: true, records: 6 });
  });

  it('commits within the flush interval, and at once when maxPending records wait', async () => {
    const timed = auditedApp({ flushIntervalMs: 20 });
    cleanups.push(
      () => timed.app.close(),
      () => timed.db.close(),
    );
    await timed.app.inject({ url: '/dicom-web/studies' });
    await vi.waitFor(async () => expect(await timed.audit.query({ limit: 10 })).toHaveLength(1));

    const bounded = auditedApp({ flushIntervalMs: 60_000, maxPending: 3 });
    cleanups.push(
      () => bounded.app.close(),
      () => bounded.db.close(),
    );
    for (let i = 0; i < 4; i++) await bounded.app.inject({ url: '/dicom-web/studies' });
    await vi.waitFor(async () => expect(await bounded.audit.query({ limit: 10 })).toHaveLength(3));
  });

  it('a clean shutdown of the archive loses no DICOMweb access record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pacskit-http-audit-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const archive = await createArchive({
      dataDir: dir,
      logLevel: 'silent',
      adminPassword: 'admin-password',
    });
    const authorization = `Basic ${Buffer.from('admin:admin-password').toString('base64')}`;
    for (let i = 0; i < 3; i++) {
      const response = await archive.app.inject({
        url: '/dicom-web/studies',
        headers: { authorization, accept: 'application/dicom+json' },
      });
      expect(response.statusCode).toBe(200);
    }
    await archive.close();
    const db = new Database(join(dir, 'index.sqlite'), { readonly: true });
    const count = db
      .prepare<[], { n: number }>("SELECT count(*) AS n FROM audit_events WHERE type = 'dicomweb.get'")
      .get();
    db.close();
    expect(count?.n).toBe(3);
  });
});
