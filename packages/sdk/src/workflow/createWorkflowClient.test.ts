import { describe, expect, it } from 'vitest';
import { createArchiveAdapter } from '../adapters/archive/createArchiveAdapter.js';
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
      entry.method === 'DELETE' ? new Response(null, { status: 204 }) : json(200, { items: [], id: 'x' }),
    );
    const archive = createArchiveAdapter({
      baseUrl: 'https://archive.test/',
      fetch,
      auth: { type: 'apiKey', key: 'k-123' },
    });
    await archive.workflow.orders.list({ status: 'scheduled', limit: 20 });
    await archive.workflow.orders.create({ patientId: 'P1', modality: 'CT' });
    await archive.workflow.orders.cancel('o/1', { reason: 'duplicate' });
    await archive.workflow.reports.finalize('r1');
    await archive.workflow.shareLinks.create({
      studyInstanceUID: '1.2',
      expiresAt: 1_900_000_000_000,
      allowDownload: true,
    });
    await archive.workflow.accessGrants.revoke('g1');
    await archive.workflow.analytics.summary({ from: 1, to: 2 });
    expect(seen.map((entry) => `${entry.method} ${entry.url.pathname}${entry.url.search}`)).toEqual([
      'GET /api/v1/orders?status=scheduled&limit=20',
      'POST /api/v1/orders',
      'POST /api/v1/orders/o%2F1/cancel',
      'POST /api/v1/reports/r1/finalize',
      'POST /api/v1/share-links',
      'DELETE /api/v1/access-grants/g1',
      'GET /api/v1/analytics/summary?from=1&to=2',
    ]);
    expect(seen[1]!.body).toEqual({ patientId: 'P1', modality: 'CT' });
    expect(seen[2]!.body).toEqual({ reason: 'duplicate' });
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

  it('puts DICOMweb at /dicom-web next to the workflow API', async () => {
    const { fetch, seen } = recordingFetch(() => json(200, []));
    const archive = createArchiveAdapter({ baseUrl: 'https://archive.test', fetch });
    await archive.searchForStudies({ query: { PatientID: 'P1' } });
    expect(seen[0]!.url.pathname).toBe('/dicom-web/studies');
    expect(archive.capabilities.deleteStudy).toBe(true);
  });
});
