import { describe, expect, it } from 'vitest';
import { createArchiveAdapter } from '../adapters/archive/createArchiveAdapter.js';
import { missingWorkflowRoutes, workflowRoutes } from './workflowRoutes.js';
import type { FetchLike } from '../runtime.js';

interface Seen {
  method: string;
  url: URL;
  body: unknown;
  headers: Record<string, string>;
}

function recordingFetch(answer: (seen: Seen) => Response): { fetch: FetchLike; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch: FetchLike = async (input, init) => {
    const entry: Seen = {
      method: init?.method ?? 'GET',
      url: new URL(input),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: (init?.headers ?? {}) as Record<string, string>,
    };
    seen.push(entry);
    return answer(entry);
  };
  return { fetch, seen };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('archive workflow client', () => {
  it('sends each call to /api/v1 with its method, query and JSON body', async () => {
    const { fetch, seen } = recordingFetch((entry) =>
      entry.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : entry.method === 'GET' && !entry.url.pathname.endsWith('/analytics')
          ? json(200, [])
          : json(200, { id: 'x' }),
    );
    const archive = createArchiveAdapter({
      baseUrl: 'https://archive.test/',
      fetch,
      auth: { type: 'apiKey', key: 'k-123' },
    });
    await archive.workflow.orders.list({ status: 'scheduled', limit: 20 });
    await archive.workflow.orders.create({ patientId: 'P1', patientName: 'Doe^Jane', modality: 'CT' });
    await archive.workflow.orders.cancel('o/1', { reason: 'duplicate' });
    await archive.workflow.reports.sign('r1', 'final');
    await archive.workflow.shareLinks.create({
      studyInstanceUID: '1.2',
      expiresInSeconds: 3600,
      allowDownload: true,
    });
    await archive.workflow.accessGrants.revoke('g1');
    await archive.workflow.analytics.get({ from: '2026-01-01T00:00:00Z' });
    await archive.workflow.annotations.list({ studyInstanceUID: '1.2', all: true });
    expect(seen.map((entry) => `${entry.method} ${entry.url.pathname}${entry.url.search}`)).toEqual([
      'GET /api/v1/orders?status=scheduled&limit=20',
      'POST /api/v1/orders',
      'POST /api/v1/orders/o%2F1/status',
      'POST /api/v1/reports/r1/sign',
      'POST /api/v1/share-links',
      'DELETE /api/v1/access-grants/g1',
      'GET /api/v1/analytics?from=2026-01-01T00%3A00%3A00Z',
      'GET /api/v1/annotations?studyInstanceUID=1.2&all=true',
    ]);
    expect(seen[1]!.body).toEqual({ patientId: 'P1', patientName: 'Doe^Jane', modality: 'CT' });
    expect(seen[2]!.body).toEqual({ status: 'cancelled', reason: 'duplicate' });
    expect(seen[3]!.body).toEqual({ status: 'final' });
    expect(seen.every((entry) => entry.headers['X-API-Key'] === 'k-123')).toBe(true);
  });

  it('keeps the archive error code from its { error: { code } } body', async () => {
    const { fetch } = recordingFetch(() =>
      json(409, { error: { code: 'DATASET_MISMATCH', message: 'study UID does not match' } }),
    );
    const archive = createArchiveAdapter({ baseUrl: 'https://archive.test', fetch });
    await expect(archive.workflow.reports.update('r1', { findings: 'x' })).rejects.toMatchObject({
      code: 'DATASET_MISMATCH',
      httpStatus: 409,
      source: 'archive',
    });
  });

  it('reports an HTML page or a non-list answer as BAD_RESPONSE', async () => {
    const html = createArchiveAdapter({
      baseUrl: 'https://archive.test',
      fetch: async () =>
        new Response('<html>proxy login</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }),
    });
    await expect(html.workflow.templates.list()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    const notAList = createArchiveAdapter({
      baseUrl: 'https://archive.test',
      fetch: async () => json(200, { count: 3 }),
    });
    await expect(notAList.workflow.audit.list()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('lists the worklist as scheduled and arrived orders of a modality, earliest first', async () => {
    const order = (id: string, status: string, modality: string, scheduledAt: string) => ({
      id,
      status,
      modality,
      scheduledAt,
    });
    const { fetch } = recordingFetch((entry) =>
      json(
        200,
        entry.url.searchParams.get('status') === 'scheduled'
          ? [
              order('b', 'scheduled', 'CT', '2026-11-23T10:00:00Z'),
              order('c', 'scheduled', 'MR', '2026-11-23T08:00:00Z'),
            ]
          : [order('a', 'arrived', 'CT', '2026-11-23T09:00:00Z')],
      ),
    );
    const archive = createArchiveAdapter({ baseUrl: 'https://archive.test', fetch });
    expect((await archive.workflow.worklist.list({ modality: 'CT' })).map((item) => item.id)).toEqual([
      'a',
      'b',
    ]);
  });

  it('puts DICOMweb at /dicom-web next to the workflow API', async () => {
    const { fetch, seen } = recordingFetch(() => json(200, []));
    const archive = createArchiveAdapter({ baseUrl: 'https://archive.test', fetch });
    await archive.searchForStudies({ query: { PatientID: 'P1' } });
    expect(seen[0]!.url.pathname).toBe('/dicom-web/studies');
    expect(archive.capabilities.deleteStudy).toBe(true);
  });

  it('calls only routes listed in workflowRoutes, and the list finds what an OpenAPI document lacks', async () => {
    const { fetch, seen } = recordingFetch((entry) =>
      entry.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : entry.method === 'GET' && !/\/(analytics|orders\/[^/]+|reports\/[^/]+)$/.test(entry.url.pathname)
          ? json(200, [])
          : json(200, { id: 'x' }),
    );
    const workflow = createArchiveAdapter({ baseUrl: 'https://archive.test', fetch }).workflow;
    const patch = { findings: 'f' };
    await Promise.all([
      workflow.orders.list(),
      workflow.orders.create({ patientId: 'P', patientName: 'A^B', modality: 'CT' }),
      workflow.orders.get('o'),
      workflow.orders.history('o'),
      workflow.orders.setStatus('o', 'arrived'),
      workflow.reports.list({ studyInstanceUID: '1.2' }),
      workflow.reports.create({ studyInstanceUID: '1.2' }),
      workflow.reports.get('r'),
      workflow.reports.update('r', patch),
      workflow.reports.versions('r'),
      workflow.reports.sign('r', 'final'),
      workflow.reports.amend('r', { addendum: 'a' }),
      workflow.templates.list(),
      workflow.templates.create({ name: 'n', findings: 'f' }),
      workflow.annotations.list({ studyInstanceUID: '1.2' }),
      workflow.annotations.save({
        studyInstanceUID: '1',
        seriesInstanceUID: '2',
        sopInstanceUID: '3',
        kind: 'text',
        points: [[1, 2]],
      }),
      workflow.annotations.delete('a'),
      workflow.accessGrants.list(),
      workflow.accessGrants.create({
        granteeUserId: 'u',
        scopeType: 'all',
        accessType: 'view',
        consentGiven: true,
      }),
      workflow.accessGrants.revoke('g'),
      workflow.shareLinks.list(),
      workflow.shareLinks.create({ studyInstanceUID: '1.2', expiresInSeconds: 60 }),
      workflow.shareLinks.revoke('s'),
      workflow.shareLinks.open({ token: 't' }),
      workflow.audit.list(),
      workflow.analytics.get(),
    ]);
    const templates = workflowRoutes.map((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return { method, pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`) };
    });
    for (const entry of seen) {
      expect(templates.some((t) => t.method === entry.method && t.pattern.test(entry.url.pathname))).toBe(
        true,
      );
    }
    expect(new Set(seen.map((entry) => entry.method + entry.url.pathname)).size).toBe(workflowRoutes.length);
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of workflowRoutes) {
      if (route === 'POST /api/v1/share-links/open') continue;
      const [method, path] = route.split(' ') as [string, string];
      const renamed = path.replace('{orderId}', '{id}'); // parameter names do not matter
      paths[renamed] = { ...paths[renamed], [method.toLowerCase()]: {} };
    }
    const document = { paths };
    expect(missingWorkflowRoutes(document)).toEqual(['POST /api/v1/share-links/open']);
  });
});
