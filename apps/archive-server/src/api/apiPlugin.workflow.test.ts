import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePart10 } from '@pacskit/dicom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, createTestApi, studyA, studyB, type TestApi } from './testing/createTestApi.js';
import { testStorageConfig } from '../../test/testStorageConfig.js';

let api: TestApi;
beforeEach(async () => {
  api = await createTestApi(testStorageConfig());
});
afterEach(() => api.close());

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who: string, payload?: unknown) =>
  api.app.inject({
    method,
    url,
    headers: bearer(api.users[who]!.token),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

const orderBody = {
  patientId: 'PID-A',
  patientName: 'Patient^A',
  modality: 'CT',
  bodyPart: 'CHEST',
  clinicalIndication: 'cough',
  urgency: 'urgent',
  scheduledAt: '2026-01-16T08:00:00Z',
};

describe('orders', () => {
  it('lets staff create, read and move orders; patients see only their own', async () => {
    const created = await call('POST', '/api/v1/orders', 'tech', orderBody);
    expect(created.statusCode).toBe(201);
    const order = created.json();
    expect(order.accessionNumber).toBe('ACC202601150001');
    expect(order.status).toBe('scheduled');
    expect((await call('POST', '/api/v1/orders', 'doctor', orderBody)).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/orders/${order.id}`, 'doctor')).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/orders/${order.id}`, 'patientA')).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/orders/${order.id}`, 'patientB')).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/orders', 'patientB')).json()).toEqual([]);
    expect((await call('GET', '/api/v1/orders?status=scheduled', 'rad')).json()).toHaveLength(1);

    expect(
      (await call('POST', `/api/v1/orders/${order.id}/status`, 'tech', { status: 'arrived' })).json().status,
    ).toBe('arrived');
    expect(
      (await call('POST', `/api/v1/orders/${order.id}/status`, 'doctor', { status: 'in_progress' }))
        .statusCode,
    ).toBe(403);
    await api.workflow.onMppsStatus({ accessionNumber: order.accessionNumber, status: 'COMPLETED' });
    const backwards = await call('POST', `/api/v1/orders/${order.id}/status`, 'tech', { status: 'arrived' });
    expect(backwards.statusCode).toBe(409);
    expect(
      (await call('POST', `/api/v1/orders/${order.id}/status`, 'tech', { status: 'verified' })).statusCode,
    ).toBe(409);
    const history = await call('GET', `/api/v1/orders/${order.id}/history`, 'rad');
    expect(history.json().map((h: { to: string }) => h.to)).toEqual([
      'scheduled',
      'arrived',
      'in_progress',
      'completed',
    ]);
    const audited = await api.audit.query({ type: 'order.create', limit: 5 });
    expect(audited[0]).toMatchObject({
      patientId: 'PID-A',
      studyInstanceUID: order.studyInstanceUID,
      outcome: 'success',
    });
  });
});

describe('reports', () => {
  it('drafts from a template, signs final (SR stored), embargoes the patient release and amends', async () => {
    const template = await call('POST', '/api/v1/report-templates', 'rad', {
      name: 'CT chest',
      modality: 'CT',
      findings: 'Findings for {{clinicalIndication}}.',
    });
    expect(template.statusCode).toBe(201);
    expect((await call('GET', '/api/v1/report-templates?modality=CT', 'rad')).json()).toHaveLength(1);
    const draft = await call('POST', '/api/v1/reports', 'rad', {
      studyInstanceUID: studyA,
      templateId: template.json().id,
    });
    expect(draft.statusCode).toBe(201);
    const id = draft.json().id;
    expect(draft.json().findings).toBe('Findings for {{clinicalIndication}}.');
    expect((await call('POST', '/api/v1/reports', 'doctor', { studyInstanceUID: studyA })).statusCode).toBe(
      403,
    );
    expect((await call('POST', '/api/v1/reports', 'rad', { studyInstanceUID: '1.2.3.4.5' })).statusCode).toBe(
      404,
    );

    await call('PATCH', `/api/v1/reports/${id}`, 'rad', {
      findings: 'Clear lungs.',
      impression: 'Normal.',
      patientSummary: 'Your chest scan is normal.',
      criticalFinding: true,
    });
    expect((await call('GET', `/api/v1/reports?studyInstanceUID=${studyA}`, 'patientA')).json()).toEqual([]);
    const signed = await call('POST', `/api/v1/reports/${id}/sign`, 'rad', { status: 'final' });
    expect(signed.statusCode).toBe(200);
    expect(api.storedSr).toHaveLength(1);
    const sr = parsePart10(api.storedSr[0]!);
    const srDir = mkdtempSync(join(tmpdir(), 'pacskit-sr-'));
    try {
      writeFileSync(join(srDir, 'report.dcm'), api.storedSr[0]!);
      const dump = spawnSync('dsrdump', ['-Ee', join(srDir, 'report.dcm')], { encoding: 'utf8' });
      expect(dump.stderr.split('\n').filter((l) => l && !l.includes('ISO_IR 192'))).toEqual([]);
      expect(dump.status).toBe(0);
      expect(dump.stdout).toContain('Basic Text SR');
      expect(dump.stdout).toContain('Clear lungs.');
    } finally {
      rmSync(srDir, { recursive: true, force: true });
    }
    expect(sr.dataset['0020000D']?.Value).toEqual([studyA]);
    expect(sr.dataset['00100020']?.Value).toEqual(['PID-A']);
    expect((await call('PATCH', `/api/v1/reports/${id}`, 'rad', { findings: 'x' })).statusCode).toBe(409);
    // Final, but still under the 24 h embargo for the patient.
    expect((await call('GET', `/api/v1/reports/${id}`, 'patientA')).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/reports/${id}`, 'doctor')).statusCode).toBe(200);

    api.clock.t += 24 * 3600_000;
    const login = await api.access.login('patientA', 'patientA-password');
    const released = await api.app.inject({
      method: 'GET',
      url: `/api/v1/reports?studyInstanceUID=${studyA}`,
      headers: bearer(login.tokens.accessToken),
    });
    expect(released.json()).toEqual([
      expect.objectContaining({ id, patientSummary: 'Your chest scan is normal.', status: 'final' }),
    ]);
    expect(released.json()[0].authorId).toBeUndefined();
    const patientB = await api.access.login('patientB', 'patientB-password');
    expect(
      (
        await api.app.inject({
          method: 'GET',
          url: `/api/v1/reports/${id}`,
          headers: bearer(patientB.tokens.accessToken),
        })
      ).statusCode,
    ).toBe(404);

    const radLogin = await api.access.login('rad', 'rad-password');
    const amended = await api.app.inject({
      method: 'POST',
      url: `/api/v1/reports/${id}/amend`,
      headers: bearer(radLogin.tokens.accessToken),
      payload: { addendum: 'Tiny nodule, follow up in 12 months.' },
    });
    expect(amended.json().status).toBe('amended');
    expect(api.storedSr).toHaveLength(2);
    const versions = await api.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${id}/versions`,
      headers: bearer(radLogin.tokens.accessToken),
    });
    expect(versions.json().map((v: { status: string }) => v.status)).toEqual([
      'draft',
      'draft',
      'final',
      'amended',
    ]);
    // The final report and the critical finding were queued as webhook deliveries only if subscribed: none here.
    expect(await api.workflow.webhooks.processDue()).toEqual([]);
  });
});

describe('annotations', () => {
  it('stores annotations per user on visible studies only', async () => {
    const body = {
      studyInstanceUID: studyA,
      seriesInstanceUID: `${studyA}.1`,
      sopInstanceUID: `${studyA}.1.1`,
      kind: 'length',
      points: [
        [10, 20],
        [110, 20],
      ],
      measurement: { value: 42.5, unit: 'mm' },
    };
    const saved = await call('POST', '/api/v1/annotations', 'rad', body);
    expect(saved.statusCode).toBe(201);
    await call('POST', '/api/v1/annotations', 'tech', { ...body, kind: 'arrow', text: 'here' });
    expect((await call('POST', '/api/v1/annotations', 'patientA', body)).statusCode).toBe(403);
    expect(
      (await call('POST', '/api/v1/annotations', 'rad', { ...body, studyInstanceUID: '1.2.3.4.5' }))
        .statusCode,
    ).toBe(404);
    expect((await call('GET', `/api/v1/annotations?studyInstanceUID=${studyA}`, 'rad')).json()).toHaveLength(
      1,
    );
    expect(
      (await call('GET', `/api/v1/annotations?studyInstanceUID=${studyA}&all=true`, 'rad')).json(),
    ).toHaveLength(2);
    expect((await call('GET', `/api/v1/annotations?studyInstanceUID=${studyB}`, 'patientA')).statusCode).toBe(
      404,
    );
    const sr = await call('GET', `/api/v1/annotations/sr?studyInstanceUID=${studyA}&all=true`, 'rad');
    expect(sr.statusCode).toBe(200);
    expect(sr.headers['content-type']).toBe('application/dicom');
    const parsed = parsePart10(sr.rawPayload);
    expect(parsed.dataset['00080016']?.Value).toEqual(['1.2.840.10008.5.1.4.1.1.88.33']);
    expect(parsed.dataset['0040A504']?.Value?.[0]).toMatchObject({ '0040DB00': { Value: ['1500'] } });
    const dir = mkdtempSync(join(tmpdir(), 'pacskit-sr-'));
    try {
      writeFileSync(join(dir, 'sr.dcm'), sr.rawPayload);
      // DCMTK's SR reader checks the document against the IOD and the relationship constraints.
      const dump = spawnSync('dsrdump', ['-Ee', join(dir, 'sr.dcm')], { encoding: 'utf8' });
      // dsrdump cannot VR-check UTF-8 (ISO_IR 192) and says so; any other warning is a defect.
      expect(dump.stderr.split('\n').filter((l) => l && !l.includes('ISO_IR 192'))).toEqual([]);
      expect(dump.status).toBe(0);
      expect(dump.stdout).toContain('Imaging Measurement Report');
      expect(dump.stdout).toContain('Measurement Group');
      expect(dump.stdout).toMatch(/POLYLINE/);
      expect(dump.stdout).toContain('42.5');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(
      (await call('GET', `/api/v1/annotations/sr?studyInstanceUID=${studyA}`, 'doctor')).statusCode,
    ).toBe(403);
    expect((await call('DELETE', `/api/v1/annotations/${saved.json().id}`, 'tech')).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/annotations/${saved.json().id}`, 'rad')).statusCode).toBe(204);
  });
});

describe('admin', () => {
  it('serves analytics, the audit trail (json, FHIR, DICOM) and its verification to admins only', async () => {
    await api.workflow.onInstanceStored({
      studyInstanceUID: studyA,
      seriesInstanceUID: '1.2.3',
      sopInstanceUID: '1.2.3.1',
      modality: 'CT',
      bytes: 2048,
    });
    const analytics = await call(
      'GET',
      '/api/v1/analytics?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z',
      'admin',
    );
    expect(analytics.statusCode).toBe(200);
    expect(analytics.json().totals).toEqual({ studies: 1, series: 1, instances: 1, bytes: 2048 });
    expect(
      (await call('GET', '/api/v1/analytics?from=2026-03-01T00:00:00Z&to=2026-02-01T00:00:00Z', 'admin'))
        .statusCode,
    ).toBe(400);
    expect((await call('GET', '/api/v1/analytics', 'rad')).statusCode).toBe(403);

    await call('GET', `/api/v1/studies/${studyB}`, 'patientA');
    const json = await call('GET', `/api/v1/audit?studyInstanceUID=${studyB}`, 'admin');
    expect(json.json()).toEqual([
      expect.objectContaining({ outcome: 'denied', type: 'study.read', sourceAddress: '127.0.0.1' }),
    ]);
    const fhir = await call('GET', `/api/v1/audit?studyInstanceUID=${studyB}&format=fhir`, 'admin');
    expect(fhir.json().entry[0].resource).toMatchObject({ resourceType: 'AuditEvent', outcome: '4' });
    const dicom = await call('GET', `/api/v1/audit?studyInstanceUID=${studyB}&format=dicom`, 'admin');
    expect(dicom.headers['content-type']).toContain('application/xml');
    expect(dicom.body).toContain(`ParticipantObjectID="${studyB}"`);
    const verify = await call('GET', '/api/v1/audit/verify', 'admin');
    expect(verify.json()).toMatchObject({ ok: true });
    expect(verify.json().records).toBeGreaterThan(3);
    expect((await call('GET', '/api/v1/audit', 'rad')).statusCode).toBe(403);
  });

  it('manages webhook subscriptions and lists dead letters', async () => {
    const created = await call('POST', '/api/v1/webhooks', 'admin', {
      url: 'http://127.0.0.1:9/hook',
      events: ['report.final'],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().secret).toMatch(/^[\w-]{43}$/);
    expect(
      (
        await call('POST', '/api/v1/webhooks', 'admin', {
          url: 'file:///etc/passwd',
          events: ['report.final'],
        })
      ).statusCode,
    ).toBe(400);
    const list = await call('GET', '/api/v1/webhooks', 'admin');
    expect(list.json()).toEqual([expect.not.objectContaining({ secret: expect.anything() })]);
    expect((await call('GET', '/api/v1/webhooks/dead-letters', 'admin')).json()).toEqual([]);
    expect((await call('DELETE', `/api/v1/webhooks/${created.json().id}`, 'admin')).statusCode).toBe(204);
    expect((await call('DELETE', `/api/v1/webhooks/${created.json().id}`, 'admin')).statusCode).toBe(404);
  });
});
