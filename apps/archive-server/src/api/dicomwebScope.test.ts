import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAccessControl } from '../access/createAccessControl.js';
import { createAuditLog } from '../audit/createAuditLog.js';
import { dicomwebPlugin } from '../dicomweb/dicomwebPlugin.js';
import { errorHandler } from '../http/errorHandler.js';
import { type Archive, createArchive } from '../main.js';
import { pydicomTestFile } from '../testing/testFiles.js';
import { createAuthenticateHook } from './createAuthenticateHook.js';
import { createHttpAuditHook } from './createHttpAuditHook.js';
import { scopeDicomwebServices } from './scopeDicomwebServices.js';
import { bearer } from './testing/createTestApi.js';
import { testStorageConfig } from '../../test/testStorageConfig.js';

/**
 * Patient scope through the core's real DICOMweb front end (QIDO-RS, WADO-RS incl. metadata,
 * rendered and thumbnail, WADO-URI, STOW-RS) with our authenticate hook and scoped services.
 */
describe('patient scope through DICOMweb', () => {
  let dir: string;
  let archive: Archive;
  let db: Database.Database;
  let app: FastifyInstance;
  let auditLog: ReturnType<typeof createAuditLog>;
  let patient: string;
  let tech: string;
  let own: { study: string; series: string; instance: string };
  let other: { study: string; series: string; instance: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pacskit-dicomweb-scope-'));
    archive = await createArchive({
      ...testStorageConfig(),
      dataDir: dir,
      logLevel: 'silent',
      adminPassword: 'admin-password-123',
    });
    db = new Database(join(dir, 'index.sqlite'));
    const clock = { now: () => Date.now() };
    const access = createAccessControl({
      db,
      clock,
      config: { jwtSecret: new Uint8Array(32).fill(9), passwordHashCost: 10 },
    });
    const audit = createAuditLog({ db, clock });
    app = Fastify();
    app.setErrorHandler(errorHandler);
    app.addHook(
      'onResponse',
      createHttpAuditHook(audit, (url) => url.startsWith('/dicom-web') || url.startsWith('/wado')),
    );
    auditLog = audit;
    await app.register(dicomwebPlugin, {
      services: scopeDicomwebServices(archive.services),
      authenticate: createAuthenticateHook(access, audit),
    });
    await app.ready();
    for (const name of ['CT_small.dcm', 'MR_small.dcm']) {
      await archive.services.ingest.storeInstance({
        stream: createReadStream(pydicomTestFile(name)),
        source: { protocol: 'STOW-RS' },
      });
    }
    const rows = await archive.services.query.searchForInstances({
      includeField: ['ModalitiesInStudy', 'PatientID', 'Modality'],
    });
    const pick = (modality: string) => {
      const row = rows.find((r) => r['00080060']?.Value?.[0] === modality)!;
      return {
        study: row['0020000D']!.Value![0] as string,
        series: row['0020000E']!.Value![0] as string,
        instance: row['00080018']!.Value![0] as string,
        patientId: row['00100020']!.Value![0] as string,
      };
    };
    const ct = pick('CT');
    own = ct;
    other = pick('MR');
    const user = await access.createUser({
      username: 'pat',
      password: 'pat-password',
      roles: ['PATIENT'],
      patientIds: [ct.patientId],
    });
    await access.createGrant(
      { granteeUserId: user.id, scopeType: 'all', accessType: 'view', consentGiven: true },
      'test',
    );
    patient = (await access.login('pat', 'pat-password')).tokens.accessToken;
    await access.createUser({ username: 'doc', password: 'doc-password', roles: ['DOCTOR'] });
    tech = (await access.login('doc', 'doc-password')).tokens.accessToken;
  });
  afterAll(async () => {
    await app.close();
    await archive.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, token: string, accept?: string) =>
    app.inject({ method: 'GET', url, headers: { ...bearer(token), ...(accept ? { accept } : {}) } });

  it('QIDO-RS returns only the patient’s own studies, series and instances', async () => {
    const studies = await get('/dicom-web/studies', patient);
    expect(studies.json().map((s: Record<string, { Value: string[] }>) => s['0020000D']!.Value[0])).toEqual([
      own.study,
    ]);
    const byUid = await get(`/dicom-web/studies?StudyInstanceUID=${other.study}`, patient);
    expect(byUid.statusCode === 204 || byUid.json().length === 0).toBe(true);
    const nested = await get(`/dicom-web/studies/${other.study}/series`, patient);
    expect(nested.statusCode === 204 || nested.json().length === 0).toBe(true);
    const allSeries = await get('/dicom-web/series', patient);
    expect(allSeries.json().map((s: Record<string, { Value: string[] }>) => s['0020000E']!.Value[0])).toEqual(
      [own.series],
    );
    const instances = await get('/dicom-web/instances', patient);
    expect(instances.json().map((s: Record<string, { Value: string[] }>) => s['00080018']!.Value[0])).toEqual(
      [own.instance],
    );
    expect((await get('/dicom-web/studies', tech)).json()).toHaveLength(2);
  });

  it('WADO-RS, rendered, thumbnail and WADO-URI answer 404 for another patient’s study, as for a missing one; download needs a download grant', async () => {
    const base = `/dicom-web/studies/${other.study}/series/${other.series}/instances/${other.instance}`;
    const missing = '/dicom-web/studies/1.2.3.999/series/1.2.3.999.1/instances/1.2.3.999.1.1';
    // A view-only principal is refused any download (403) before the study is even looked up.
    const hiddenDownload = await get(base, patient, 'multipart/related; type="application/dicom"');
    expect(hiddenDownload.statusCode).toBe(403);
    expect((await get(missing, patient, 'multipart/related; type="application/dicom"')).body).toBe(
      hiddenDownload.body,
    );
    for (const [path, accept] of [
      ['/metadata', 'application/dicom+json'],
      ['/rendered', 'image/jpeg'],
      ['/thumbnail', 'image/jpeg'],
      ['/frames/1', 'multipart/related; type="application/octet-stream"'],
    ] as const) {
      const hidden = await get(`${base}${path}`, patient, accept);
      expect(hidden.statusCode, path).toBe(404);
      expect((await get(`${missing}${path}`, patient, accept)).statusCode, path).toBe(404);
    }
    expect((await get(`/dicom-web/studies/${other.study}/metadata`, patient)).statusCode).toBe(404);
    // onResponse runs after the answer is sent, and audit records are group-committed: wait for them.
    const denied = await vi.waitFor(async () => {
      const rows = await auditLog.query({ studyInstanceUID: other.study, outcome: 'denied', limit: 100 });
      expect(rows.length).toBeGreaterThanOrEqual(6);
      return rows;
    });
    expect(denied.at(-1)).toMatchObject({
      operation: 'GET /dicom-web/studies/:study/metadata',
      protocol: 'http',
      detail: { status: 404 },
    });
    const uri = `/wado?requestType=WADO&studyUID=${other.study}&seriesUID=${other.series}&objectUID=${other.instance}&contentType=application/dicom`;
    expect((await get(uri.replace('application/dicom', 'image/jpeg'), patient)).statusCode).toBe(404);
    // The patient's own study is served for viewing; downloading needs a download grant.
    expect((await get(`/dicom-web/studies/${own.study}/metadata`, patient)).statusCode).toBe(200);
    const frames = await get(
      `/dicom-web/studies/${own.study}/series/${own.series}/instances/${own.instance}/frames/1`,
      patient,
      'multipart/related; type="application/octet-stream"',
    );
    expect(frames.statusCode).toBe(200);
    const download = await get(
      `/dicom-web/studies/${own.study}`,
      patient,
      'multipart/related; type="application/dicom"',
    );
    expect(download.statusCode).toBe(403);
    const ownUri = `/wado?requestType=WADO&studyUID=${own.study}&seriesUID=${own.series}&objectUID=${own.instance}&contentType=application/dicom`;
    expect((await get(ownUri, patient)).statusCode).toBe(403);
    expect((await get(ownUri.replace('application/dicom', 'image/jpeg'), patient)).statusCode).toBe(200);
    expect(
      (await get(`/dicom-web/studies/${own.study}`, tech, 'multipart/related; type="application/dicom"'))
        .statusCode,
    ).toBe(200);
    const thumbnail = await get(
      `/dicom-web/studies/${own.study}/series/${own.series}/instances/${own.instance}/thumbnail`,
      patient,
      'image/jpeg',
    );
    expect(thumbnail.statusCode).toBe(200);
    expect((await get(uri, tech)).statusCode).toBe(200);
  });

  it('STOW-RS needs radiology:upload and DELETE radiology:manage', async () => {
    const boundary = 'pacskit-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
      readFileSync(pydicomTestFile('MR_small.dcm')),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await app.inject({
      method: 'POST',
      url: '/dicom-web/studies',
      headers: {
        ...bearer(patient),
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      },
      payload: body,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('FORBIDDEN');
    const del = await app.inject({
      method: 'DELETE',
      url: `/dicom-web/studies/${own.study}`,
      headers: bearer(tech),
    });
    expect(del.statusCode).toBe(403);
    expect(await archive.services.query.searchForStudies({})).toHaveLength(2);
  });
});
