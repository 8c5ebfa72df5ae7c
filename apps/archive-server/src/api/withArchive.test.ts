import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Archive, createArchive } from '../main.js';
import { pydicomTestFile } from '../testing/testFiles.js';
import { bearer } from './testing/createTestApi.js';
import { testStorageConfig } from '../../test/testStorageConfig.js';

/**
 * The API as main.ts wires it into the real archive: the same SQLite file as the index,
 * the core's QueryService behind the StudyCatalog, and report SRs stored through the ingest pipeline.
 */
describe('the API on the real archive core', () => {
  let dir: string;
  let archive: Archive;
  let access: Archive['access'];
  let ctStudy: string;
  let mrStudy: string;
  let ctPatient: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pacskit-archive-api-'));
    archive = await createArchive({
      ...testStorageConfig(),
      dataDir: dir,
      logLevel: 'silent',
      adminPassword: 'admin-password-123',
    });
    // main.ts wires the API into the archive: use its access control, audit and workflow.
    access = archive.access;
    for (const name of ['CT_small.dcm', 'MR_small.dcm']) {
      const outcome = await archive.services.ingest.storeInstance({
        stream: createReadStream(pydicomTestFile(name)),
        source: { protocol: 'STOW-RS' },
      });
      expect(outcome.status).not.toBe('failed');
    }
    const studies = await archive.services.query.searchForStudies({ includeField: ['ModalitiesInStudy'] });
    const byModality = (m: string) => studies.find((s) => (s['00080061']?.Value ?? []).includes(m))!;
    ctStudy = byModality('CT')['0020000D']!.Value![0] as string;
    mrStudy = byModality('MR')['0020000D']!.Value![0] as string;
    ctPatient = byModality('CT')['00100020']!.Value![0] as string;
  });
  afterAll(async () => {
    await archive.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scopes a patient to their stored study through the API and FHIR', async () => {
    const patient = await access.createUser({
      username: 'pat',
      password: 'pat-password',
      roles: ['PATIENT'],
      patientIds: [ctPatient],
    });
    await access.createGrant(
      { granteeUserId: patient.id, scopeType: 'all', accessType: 'view', consentGiven: true },
      'test',
    );
    const token = (await access.login('pat', 'pat-password')).tokens.accessToken;
    const list = await archive.app.inject({ method: 'GET', url: '/api/v1/studies', headers: bearer(token) });
    expect(list.json().map((s: Record<string, { Value: string[] }>) => s['0020000D']!.Value[0])).toEqual([
      ctStudy,
    ]);
    expect(
      (await archive.app.inject({ method: 'GET', url: `/api/v1/studies/${mrStudy}`, headers: bearer(token) }))
        .statusCode,
    ).toBe(404);
    const fhir = await archive.app.inject({
      method: 'GET',
      url: `/fhir/ImagingStudy/${ctStudy}`,
      headers: bearer(token),
    });
    expect(fhir.json()).toMatchObject({
      resourceType: 'ImagingStudy',
      id: ctStudy,
      series: [{ modality: { code: 'CT' } }],
    });
    expect(
      (
        await archive.app.inject({
          method: 'GET',
          url: `/fhir/ImagingStudy/${mrStudy}`,
          headers: bearer(token),
        })
      ).statusCode,
    ).toBe(404);
  });

  it('stores the final report as a Basic Text SR in the study, found by QIDO', async () => {
    await access.createUser({ username: 'rad', password: 'rad-password', roles: ['RADIOLOGIST'] });
    const token = (await access.login('rad', 'rad-password')).tokens.accessToken;
    const draft = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: bearer(token),
      payload: { studyInstanceUID: ctStudy, findings: 'No focal lesion.', impression: 'Normal CT.' },
    });
    expect(draft.statusCode).toBe(201);
    const signed = await archive.app.inject({
      method: 'POST',
      url: `/api/v1/reports/${draft.json().id}/sign`,
      headers: bearer(token),
      payload: { status: 'final' },
    });
    expect(signed.statusCode).toBe(200);
    const series = await archive.services.query.searchForSeries(
      { match: { Modality: 'SR' } },
      { studyInstanceUID: ctStudy },
    );
    expect(series).toHaveLength(1);
    const instances = await archive.services.query.searchForInstances(
      {},
      { studyInstanceUID: ctStudy, seriesInstanceUID: series[0]!['0020000E']!.Value![0] as string },
    );
    expect(instances.map((i) => i['00080018']?.Value?.[0])).toEqual([signed.json().srSopInstanceUID]);
    expect(instances[0]?.['00080016']?.Value).toEqual(['1.2.840.10008.5.1.4.1.1.88.11']);
  });
});
