import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstance, newUid, stowBody } from '../src/testing/generateInstance.js';
import { auth, startArchive } from './helpers.js';

// What the clinical workflow hears from the ingest pipeline (issue 5 over issues 3/9): the first
// instance of a new study raises `study.received` once, an instance carrying an order's accession
// number starts that order even under the modality's own Study Instance UID, and the analytics
// count instances by modality. Runs in both storage modes (storageMode.ts).
describe('the workflow hears of stored instances', () => {
  let started: Awaited<ReturnType<typeof startArchive>>;

  beforeAll(async () => {
    started = await startArchive();
  });

  afterAll(async () => {
    await started.cleanup();
  });

  async function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
    const response = await started.archive.app.inject({
      method,
      url,
      headers: { authorization: auth },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return { status: response.statusCode, json: response.json() as Record<string, unknown> };
  }

  async function stow(files: Buffer[]): Promise<void> {
    const { body, contentType } = stowBody(files);
    const response = await started.archive.app.inject({
      method: 'POST',
      url: '/dicom-web/studies',
      headers: { authorization: auth, 'content-type': contentType, accept: 'application/dicom+json' },
      payload: body,
    });
    expect(response.statusCode).toBe(200);
  }

  it('raises study.received once per new study, starts the order by accession number, counts modalities', async () => {
    const subscribed = await call('POST', '/api/v1/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      events: ['study.received'],
    });
    expect(subscribed.status).toBe(201);
    const order = await call('POST', '/api/v1/orders', {
      patientId: 'WF-1',
      patientName: 'Doe^Jane',
      modality: 'MR',
    });
    expect(order.status).toBe(201);
    const accessionNumber = order.json.accessionNumber as string;
    expect(order.json.status).toBe('scheduled');

    // The modality made up its own study UID: the order is found by its accession number.
    const study = newUid();
    const series = newUid();
    const instance = (modality: string) =>
      generateInstance({
        studyInstanceUID: study,
        seriesInstanceUID: series,
        sopInstanceUID: newUid(),
        patientID: 'WF-1',
        accessionNumber,
        modality,
      });
    await stow([instance('MR'), instance('MR')]);
    await stow([instance('MR')]);
    const otherStudy = newUid();
    await stow([
      generateInstance({
        studyInstanceUID: otherStudy,
        seriesInstanceUID: newUid(),
        sopInstanceUID: newUid(),
        modality: 'CT',
      }),
    ]);

    const store = started.archive.workflow.store;
    await expect
      .poll(async () => (await store.findOrder(order.json.id as string))?.status, { timeout: 10_000 })
      .toBe('in_progress');
    const deliveries = async () =>
      (
        await Promise.all(
          (['pending', 'delivered', 'dead'] as const).map((status) => store.listDeliveries(status)),
        )
      )
        .flat()
        .filter((delivery) => delivery.event === 'study.received')
        .map(
          (delivery) =>
            (JSON.parse(delivery.payload) as { data: { studyInstanceUID: string } }).data.studyInstanceUID,
        )
        .sort();
    await expect.poll(deliveries, { timeout: 10_000 }).toEqual([study, otherStudy].sort());

    const analytics = await call('GET', '/api/v1/analytics');
    expect(analytics.status).toBe(200);
    const modalities = analytics.json.modalities as { modality: string; instances: number }[];
    expect(modalities.find((m) => m.modality === 'MR')?.instances).toBe(3);
    expect(modalities.find((m) => m.modality === 'CT')?.instances).toBe(1);
  });
});
