import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsePart10 } from '@pacskit/dicom';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OpenedTestStores, storeBackends } from '../adapters/contract/storeBackends.js';
import { createWorkflow } from './createWorkflow.js';
import type { ScheduledProcedureStep } from './ScheduledProcedureStepSink.js';
import { toWorklistDataset } from './ScheduledProcedureStepSink.js';

const clock = {
  t: Date.UTC(2026, 2, 4, 9, 30),
  now() {
    return this.t;
  },
};

const backends = storeBackends();
let stores: OpenedTestStores;

function setup(extra: Partial<Parameters<typeof createWorkflow>[0]> = {}) {
  const scheduled: ScheduledProcedureStep[] = [];
  const cancelled: string[] = [];
  const stored: Uint8Array[] = [];
  const workflow = createWorkflow({
    store: stores.workflow,
    clock,
    config: { patientReleaseEmbargoHours: 72 },
    sink: {
      schedule: async (step) => void scheduled.push(step),
      cancel: async (accession) => void cancelled.push(accession),
    },
    storeInstance: async (bytes) => void stored.push(bytes),
    ...extra,
  });
  return { workflow, scheduled, cancelled, stored };
}

const orderInput = {
  patientId: 'PID-1',
  patientName: 'Doe^Jane',
  modality: 'CT',
  bodyPart: 'CHEST',
  clinicalIndication: 'cough',
  urgency: 'stat' as const,
};

// The same cases on the embedded SQLite file and on PostgreSQL (the scale-out mode).
describe.each(backends)('createWorkflow on $name', (backend) => {
  beforeEach(async () => {
    stores = await backend.open();
  }, 30_000);

  describe('orders', () => {
    beforeEach(() => {
      clock.t = Date.UTC(2026, 2, 4, 9, 30);
    });

    it('creates an order with an accession number, a study UID and a scheduled procedure step', async () => {
      const { workflow, scheduled } = setup();
      const first = await workflow.orders.create(orderInput, 'user:1');
      const second = await workflow.orders.create(orderInput, 'user:1');
      expect(first.accessionNumber).toBe('ACC202603040001');
      expect(second.accessionNumber).toBe('ACC202603040002');
      expect(first.studyInstanceUID).toMatch(/^2\.25\.\d+$/);
      expect(first.status).toBe('scheduled');
      expect(scheduled.map((s) => s.accessionNumber)).toEqual(['ACC202603040001', 'ACC202603040002']);
      const item = toWorklistDataset(scheduled[0]!);
      expect(item['00401003']?.Value).toEqual(['STAT']);
      expect(item['00400100']?.Value?.[0]).toMatchObject({
        '00400002': { Value: ['20260304'] },
        '00080060': { Value: ['CT'] },
      });
    });

    it('moves through MPPS and ingest, keeps the history and refuses moves backwards', async () => {
      const { workflow, cancelled } = setup();
      const order = await workflow.orders.create(orderInput, 'user:1');
      await workflow.orders.transition(order.id, 'arrived', 'user:2');
      await workflow.onInstanceStored({
        studyInstanceUID: order.studyInstanceUID,
        seriesInstanceUID: '1.2.3',
        sopInstanceUID: '1.2.3.1',
        modality: 'CT',
        bytes: 1000,
      });
      expect((await workflow.orders.get(order.id))?.status).toBe('in_progress');
      await workflow.onMppsStatus({ accessionNumber: order.accessionNumber, status: 'IN PROGRESS' });
      await workflow.onMppsStatus({ accessionNumber: order.accessionNumber, status: 'COMPLETED' });
      const history = await workflow.orders.history(order.id);
      expect(history.map((h) => [h.from ?? null, h.to, h.by])).toEqual([
        [null, 'scheduled', 'user:1'],
        ['scheduled', 'arrived', 'user:2'],
        ['arrived', 'in_progress', 'ingest'],
        ['in_progress', 'completed', 'mpps'],
      ]);
      await expect(workflow.orders.transition(order.id, 'arrived', 'user:2')).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(workflow.orders.transition(order.id, 'cancelled', 'user:2')).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      const other = await workflow.orders.create(orderInput, 'user:1');
      await workflow.onMppsStatus({ studyInstanceUID: other.studyInstanceUID, status: 'DISCONTINUED' });
      expect((await workflow.orders.get(other.id))?.status).toBe('cancelled');
      expect(cancelled).toEqual([other.accessionNumber]);
    });
  });

  describe('reports', () => {
    it('keeps every version, stores a Basic Text SR at final, embargoes the patient release and amends', async () => {
      const { workflow, stored } = setup();
      const order = await workflow.orders.create(orderInput, 'user:1');
      const template = await workflow.reports.createTemplate({
        name: 'CT chest',
        modality: 'CT',
        bodyPart: 'CHEST',
        findings: '{{modality}} of the {{bodyPart}} for {{clinicalIndication}}: {{unknown}}',
        impression: '',
      });
      expect((await workflow.reports.listTemplates({ modality: 'MR' })).length).toBe(0);
      const draft = await workflow.reports.create(
        {
          studyInstanceUID: order.studyInstanceUID,
          patientId: 'PID-1',
          orderId: order.id,
          templateId: template.id,
          content: {},
        },
        'rad-1',
      );
      expect(draft.findings).toBe('CT of the CHEST for cough: {{unknown}}');
      await workflow.reports.update(
        draft.id,
        { impression: 'No acute finding.', patientSummary: 'Your lungs look normal.' },
        'rad-1',
      );
      await workflow.reports.sign(draft.id, 'preliminary', { userId: 'rad-1', name: 'Rad^One' });
      expect((await workflow.orders.get(order.id))?.status).toBe('reported');
      const final = await workflow.reports.sign(draft.id, 'final', { userId: 'rad-1', name: 'Rad^One' });
      expect((await workflow.orders.get(order.id))?.status).toBe('verified');
      expect(workflow.reports.isReleasedToPatient(final)).toBe(false);
      await expect(workflow.reports.update(draft.id, { findings: 'x' }, 'rad-1')).rejects.toMatchObject({
        code: 'CONFLICT',
      });

      expect(stored.length).toBe(1);
      const sr = parsePart10(stored[0]!);
      expect(sr.dataset['00080016']?.Value).toEqual(['1.2.840.10008.5.1.4.1.1.88.11']);
      expect(sr.dataset['0020000D']?.Value).toEqual([order.studyInstanceUID]);
      expect(sr.dataset['00080018']?.Value).toEqual([final.srSopInstanceUID]);
      expect(sr.dataset['00080050']?.Value).toEqual([order.accessionNumber]);
      expect(sr.dataset['0040A493']?.Value).toEqual(['VERIFIED']);
      const texts = ((sr.dataset['0040A730']?.Value ?? []) as Record<string, { Value?: unknown[] }>[]).map(
        (i) => i['0040A160']?.Value?.[0],
      );
      expect(texts).toEqual(['CT of the CHEST for cough: {{unknown}}', 'No acute finding.']);

      clock.t += 72 * 3600_000;
      expect(workflow.reports.isReleasedToPatient(final)).toBe(true);
      const amended = await workflow.reports.amend(draft.id, 'Small nodule, follow up.', {
        userId: 'rad-2',
        name: 'Rad^Two',
      });
      expect(amended.status).toBe('amended');
      expect(stored.length).toBe(2);
      expect((await workflow.reports.versions(draft.id)).map((v) => v.status)).toEqual([
        'draft',
        'draft',
        'preliminary',
        'final',
        'amended',
      ]);
    });
  });

  describe('webhooks', () => {
    let url = '';
    let failuresLeft = 0;
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    let close = () => {};
    beforeAll(async () => {
      const server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          if (failuresLeft > 0) {
            failuresLeft--;
            res.statusCode = 503;
            return res.end();
          }
          received.push({ headers: req.headers, body });
          res.end('ok');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      close = () => server.close();
    });
    afterAll(() => close());

    it('retries with backoff, signs deliveries and dead-letters after the last attempt', async () => {
      received.length = 0;
      const { workflow } = setup({ config: { webhookMaxAttempts: 3, webhookBaseDelayMs: 1000 } });
      await workflow.store.insertWebhook({
        id: 'w1',
        url,
        events: ['study.received'],
        secret: 'shh',
        active: true,
        createdAt: clock.t,
      });
      failuresLeft = 1;
      expect(await workflow.webhooks.emit('study.received', { studyInstanceUID: '1.2.3' })).toBe(1);
      expect(await workflow.webhooks.emit('report.final', { reportId: 'x' })).toBe(0);
      const [first] = await workflow.webhooks.processDue();
      expect(first).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 503' });
      expect(await workflow.webhooks.processDue()).toEqual([]); // not due yet
      clock.t += 1000;
      const [second] = await workflow.webhooks.processDue();
      expect(second?.status).toBe('delivered');
      expect(received[0]?.headers['x-pacskit-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(JSON.parse(received[0]!.body).data).toEqual({ studyInstanceUID: '1.2.3' });

      failuresLeft = 10;
      await workflow.webhooks.emit('study.received', { studyInstanceUID: '1.2.4' });
      for (let i = 0; i < 3; i++) {
        await workflow.webhooks.processDue();
        clock.t += 10_000;
      }
      const dead = await workflow.webhooks.deadLetters();
      expect(dead.map((d) => [d.attempts, d.lastError])).toEqual([[3, 'HTTP 503']]);
      failuresLeft = 0;
    });

    it('delivers once when two processes claim the due deliveries at the same moment', async () => {
      received.length = 0;
      const { workflow } = setup();
      // On PostgreSQL the second dispatcher is another process's store; on SQLite the same file.
      const { workflow: other } = setup({
        store: stores.openAnother ? (await stores.openAnother()).workflow : stores.workflow,
      });
      await workflow.store.insertWebhook({
        id: 'w2',
        url,
        events: ['study.received'],
        secret: 'shh',
        active: true,
        createdAt: clock.t,
      });
      for (let n = 0; n < 25; n++)
        await workflow.webhooks.emit('study.received', { studyInstanceUID: `9.${n}` });
      const [mine, theirs] = await Promise.all([workflow.webhooks.processDue(), other.webhooks.processDue()]);
      expect(mine.length + theirs.length).toBe(25);
      expect(received.map((r) => JSON.parse(r.body).data.studyInstanceUID).sort()).toEqual(
        Array.from({ length: 25 }, (_, n) => `9.${n}`).sort(),
      );
      expect(await workflow.webhooks.processDue()).toEqual([]);
      await workflow.store.deleteWebhook('w2');
    });
  });

  describe('shared counters', () => {
    it('hands out unique accession sequence numbers to concurrent processes', async () => {
      const other = stores.openAnother ? (await stores.openAnother()).workflow : stores.workflow;
      const values = await Promise.all(
        Array.from({ length: 40 }, (_, n) =>
          (n % 2 === 0 ? stores.workflow : other).nextSequence('20260304'),
        ),
      );
      expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, n) => n + 1));
      expect(await stores.workflow.nextSequence('20260305')).toBe(1);
    });

    it('raises a counter to a migrated value, never lowers it, and lists every counter', async () => {
      const store = stores.workflow;
      for (let n = 0; n < 3; n++) await store.nextSequence('ACC20260304');
      expect(await store.raiseSequence('ACC20260304', 10)).toBe(10);
      expect(await store.nextSequence('ACC20260304')).toBe(11);
      expect(await store.raiseSequence('ACC20260304', 5)).toBe(11);
      expect(await store.raiseSequence('ACC20260305', 7)).toBe(7);
      expect(await store.nextSequence('ACC20260305')).toBe(8);
      expect(await store.listSequences()).toEqual([
        { key: 'ACC20260304', value: 11 },
        { key: 'ACC20260305', value: 8 },
      ]);
    });

    it('never hands out a number twice while another process raises the counter', async () => {
      const other = stores.openAnother ? (await stores.openAnother()).workflow : stores.workflow;
      const values = await Promise.all(
        Array.from({ length: 40 }, (_, n) =>
          n === 20 ? other.raiseSequence('20260304', 100) : stores.workflow.nextSequence('20260304'),
        ),
      );
      const handedOut = values.filter((_, n) => n !== 20);
      expect(new Set(handedOut).size).toBe(39);
      expect(values[20]).toBeGreaterThanOrEqual(100);
      expect(await stores.workflow.nextSequence('20260304')).toBeGreaterThan(Math.max(100, ...handedOut));
    });
  });

  describe('analytics', () => {
    it('sums totals, modalities and daily volume from stored instances', async () => {
      const { workflow } = setup();
      const day = Date.UTC(2026, 2, 4);
      clock.t = day + 1000;
      await workflow.onInstanceStored({
        studyInstanceUID: 's1',
        seriesInstanceUID: 'se1',
        sopInstanceUID: 'i1',
        modality: 'CT',
        bytes: 100,
      });
      await workflow.onInstanceStored({
        studyInstanceUID: 's1',
        seriesInstanceUID: 'se1',
        sopInstanceUID: 'i1',
        modality: 'CT',
        bytes: 100,
      });
      await workflow.onInstanceStored({
        studyInstanceUID: 's1',
        seriesInstanceUID: 'se1',
        sopInstanceUID: 'i2',
        modality: 'CT',
        bytes: 50,
      });
      clock.t = day + 86_400_000 + 5;
      await workflow.onInstanceStored({
        studyInstanceUID: 's2',
        seriesInstanceUID: 'se2',
        sopInstanceUID: 'i3',
        modality: 'MR',
        bytes: 10,
      });
      workflow.latency.record('query', 5);
      workflow.latency.record('query', 15);
      const result = await workflow.analytics(day, day + 2 * 86_400_000);
      expect(result.totals).toEqual({ studies: 2, series: 2, instances: 3, bytes: 160 });
      expect(result.modalities).toEqual([
        { modality: 'CT', instances: 2, studies: 1 },
        { modality: 'MR', instances: 1, studies: 1 },
      ]);
      expect(result.dailyVolume.map((d) => [d.day, d.instances])).toEqual([
        ['2026-03-04', 2],
        ['2026-03-05', 1],
      ]);
      expect(result.storageGrowth.map((d) => d.bytes)).toEqual([150, 160]);
      expect(result.latency.query).toEqual({ count: 2, p50Ms: 15, p95Ms: 15, maxMs: 15 });
    });

    it('lists recorded ingests by SOP Instance UID, page by page or by UID', async () => {
      const store = stores.workflow;
      const stat = (sopInstanceUID: string, modality: string | undefined) => ({
        sopInstanceUID,
        studyInstanceUID: '1.2.1',
        seriesInstanceUID: '1.2.1.1',
        modality,
        bytes: 2 ** 33 + 1,
        at: Date.UTC(2026, 2, 4) + 1,
      });
      const recorded = [stat('1.2.1.1.3', 'CT'), stat('1.2.1.1.1', undefined), stat('1.2.1.1.2', 'MR')];
      await Promise.all(recorded.map((s) => store.recordIngest(s)));
      const [one, two, three] = recorded.toSorted((a, b) => a.sopInstanceUID.localeCompare(b.sopInstanceUID));
      expect(await store.listIngests({ limit: 2 })).toEqual([one, two]);
      expect(await store.listIngests({ afterSopInstanceUID: '1.2.1.1.2', limit: 2 })).toEqual([three]);
      expect(
        await store.listIngests({ sopInstanceUIDs: ['1.2.1.1.3', '1.2.1.1.1', '9.9'], limit: 10 }),
      ).toEqual([one, three]);
      expect(await store.listIngests({ sopInstanceUIDs: [], limit: 10 })).toEqual([]);
    });
  });
});
