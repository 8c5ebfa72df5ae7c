import { PacsError } from '@pacskit/dicom';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { describe, expect, it, vi } from 'vitest';
import {
  createDicomwebAdapter,
  dicomwebDefaultCapabilities,
} from '../adapters/dicomweb/createDicomwebAdapter.js';
import type { PacsAdapter, SearchForStudiesOptions } from '../pacsAdapter.js';
import type { Timers } from '../runtime.js';
import { toStudy } from '../views/toStudy.js';
import { createFederatedClient } from './createFederatedClient.js';
import type { FederationEvent } from './createFederatedClient.js';

function studyDataset(uid: string, date: string): DicomJsonDataset {
  return { '0020000D': { vr: 'UI', Value: [uid] }, '00080020': { vr: 'DA', Value: [date] } };
}

function fakeAdapter(id: string, overrides: Partial<PacsAdapter>): PacsAdapter {
  const missing = () => Promise.reject(new PacsError('NOT_SUPPORTED', 'fake', { source: id }));
  return {
    id,
    capabilities: dicomwebDefaultCapabilities,
    searchForStudies: missing,
    searchForSeries: missing,
    searchForInstances: missing,
    retrieveStudyMetadata: missing,
    retrieveSeriesMetadata: missing,
    retrieveInstanceMetadata: missing,
    retrieveInstance: missing,
    retrieveInstanceFrames: missing,
    retrieveRendered: missing,
    retrieveThumbnail: missing,
    storeInstances: missing,
    deleteStudy: missing,
    echo: async () => ({ ok: true, latencyMs: 1 }),
    ...overrides,
  };
}

function holding(id: string, studies: [uid: string, date: string][]): PacsAdapter {
  return fakeAdapter(id, {
    searchForStudies: async (options: SearchForStudiesOptions = {}) => {
      const wanted = options.query?.StudyInstanceUID;
      const items = studies
        .filter(([uid]) => wanted === undefined || uid === wanted)
        .map(([uid, date]) => toStudy(studyDataset(uid, date), [id]));
      return { items: items.slice(0, options.limit), errors: [] };
    },
    retrieveStudyMetadata: async ({ studyInstanceUID }) => {
      if (!studies.some(([uid]) => uid === studyInstanceUID))
        throw new PacsError('NOT_FOUND', 'no', { source: id, httpStatus: 404 });
      return [{ '00080018': { vr: 'UI', Value: [`${id}-sop`] } }];
    },
  });
}

const failing = (id: string, code: 'UNAVAILABLE' | 'NETWORK_ERROR' | 'NOT_FOUND' = 'UNAVAILABLE') =>
  fakeAdapter(id, {
    searchForStudies: () => Promise.reject(new PacsError(code, 'down', { source: id, httpStatus: 503 })),
    retrieveStudyMetadata: () => Promise.reject(new PacsError(code, 'down', { source: id, httpStatus: 503 })),
    echo: () => Promise.reject(new PacsError(code, 'down', { source: id })),
  });

/** Timers that fire at once and remember the delays asked for. */
function immediateTimers(): Timers & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    setTimeout: (callback, ms) => {
      if (ms >= 10_000) return undefined; // the per-call deadline (10 s by default) never fires here
      delays.push(ms);
      queueMicrotask(callback);
      return undefined;
    },
    clearTimeout: () => {},
  };
}

describe('createFederatedClient search', () => {
  it('merges by StudyInstanceUID keeping every holder, sorts newest first and paginates', async () => {
    const a = holding('a-adapter', [
      ['1.1', '20240102'],
      ['1.2', '20230101'],
    ]);
    const searchB = vi.fn(
      holding('b-adapter', [
        ['1.2', '20230101'],
        ['1.3', '20250101'],
      ]).searchForStudies,
    );
    const client = createFederatedClient({
      sources: [
        { id: 'a', adapter: a, priority: 1 },
        { id: 'b', adapter: fakeAdapter('b-adapter', { searchForStudies: searchB }) },
      ],
    });
    const all = await client.searchForStudies();
    expect(all.items.map((study) => [study.StudyInstanceUID, study.sources])).toEqual([
      ['1.3', ['b']],
      ['1.1', ['a']],
      ['1.2', ['a', 'b']],
    ]);
    const page = await client.searchForStudies({ limit: 2, offset: 1 });
    expect(page.items.map((study) => study.StudyInstanceUID)).toEqual(['1.1', '1.2']);
    expect(searchB).toHaveBeenLastCalledWith(expect.objectContaining({ limit: 3, offset: 0 }));
  });

  it('returns partial results with per-source errors, and fails only when no source answers', async () => {
    const client = createFederatedClient({
      sources: [
        { id: 'a', adapter: holding('a', [['1.1', '20240101']]) },
        { id: 'b', adapter: failing('b', 'NOT_FOUND') },
      ],
    });
    const result = await client.searchForStudies();
    expect(result.items.map((study) => study.StudyInstanceUID)).toEqual(['1.1']);
    expect(result.errors).toEqual([{ sourceId: 'b', code: 'NOT_FOUND', message: 'down', httpStatus: 503 }]);
    const none = createFederatedClient({ sources: [{ id: 'b', adapter: failing('b', 'NOT_FOUND') }] });
    await expect(none.searchForStudies()).rejects.toMatchObject({ code: 'UNAVAILABLE', source: 'federated' });
  });

  it('leaves out sources that cannot search at a level instead of reporting them as failing', async () => {
    const studiesOnly = {
      ...holding('s', [['1.1', '20240101']]),
      capabilities: { ...dicomwebDefaultCapabilities, searchForSeries: false },
    };
    const series = vi.fn(async () => ({ items: [], errors: [] }));
    const client = createFederatedClient({
      sources: [
        { id: 'studies-only', adapter: studiesOnly },
        { id: 'full', adapter: { ...holding('full', []), searchForSeries: series } },
      ],
    });
    expect((await client.searchForSeries({ studyInstanceUID: '1.1' })).errors).toEqual([]);
    expect(series).toHaveBeenCalledTimes(1);
    const none = createFederatedClient({ sources: [{ id: 'studies-only', adapter: studiesOnly }] });
    await expect(none.searchForSeries()).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });

  it('fails over to the backup of a primary that is down', async () => {
    const client = createFederatedClient({
      retry: { retries: 0 },
      sources: [
        { id: 'main', adapter: failing('main') },
        { id: 'mirror', adapter: holding('mirror', [['1.1', '20240101']]), backupOf: 'main' },
      ],
    });
    const result = await client.searchForStudies();
    expect(result.items.map((study) => study.sources)).toEqual([['mirror']]);
    expect(result.errors).toEqual([]);
  });
});

describe('createFederatedClient resilience', () => {
  it('retries transient failures with jittered exponential backoff', async () => {
    let calls = 0;
    const flaky = fakeAdapter('flaky', {
      searchForStudies: async () => {
        calls++;
        if (calls <= 2) throw new PacsError('NETWORK_ERROR', 'reset', { source: 'flaky' });
        return { items: [toStudy(studyDataset('1.1', '20240101'), ['flaky'])], errors: [] };
      },
    });
    const timers = immediateTimers();
    const client = createFederatedClient({
      sources: [{ id: 'flaky', adapter: flaky }],
      timers,
      random: () => 0.5,
      retry: { retries: 3, baseDelayMs: 200 },
    });
    expect((await client.searchForStudies()).items).toHaveLength(1);
    expect(calls).toBe(3);
    // Full jitter: random × min(max, base·2^attempt) → 0.5 × 200, 0.5 × 400.
    expect(timers.delays).toEqual([100, 200]);
    expect(client.statistics()[0]).toMatchObject({ retries: 2, failures: 2, requests: 3 });
  });

  it('waits at least what Retry-After asks, and gives up when it asks too much', async () => {
    const answers = [
      new Response('', { status: 503, headers: { 'Retry-After': '1' } }),
      new Response('[]', { status: 200, headers: { 'Content-Type': 'application/dicom+json' } }),
    ];
    const timers = immediateTimers();
    const client = createFederatedClient({
      timers,
      random: () => 0,
      retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 2_000 },
      sources: [
        {
          id: 'busy',
          adapter: createDicomwebAdapter({
            baseUrl: 'https://busy.test',
            fetch: async () => answers.shift()!,
          }),
        },
      ],
    });
    expect((await client.searchForStudies()).items).toEqual([]);
    expect(timers.delays).toContain(1_000);
    const patient = createFederatedClient({
      timers: immediateTimers(),
      retry: { retries: 2, maxDelayMs: 2_000 },
      sources: [
        {
          id: 'overloaded',
          adapter: createDicomwebAdapter({
            baseUrl: 'https://busy.test',
            fetch: async () => new Response('', { status: 429, headers: { 'Retry-After': '120' } }),
          }),
        },
      ],
    });
    await expect(patient.searchForStudies()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(patient.statistics()[0]).toMatchObject({ retries: 0, errorsByCode: { RATE_LIMITED: 1 } });
  });

  it('does not retry NOT_FOUND nor a store', async () => {
    const store = vi.fn(() => Promise.reject(new PacsError('UNAVAILABLE', 'busy', { source: 's' })));
    const client = createFederatedClient({
      timers: immediateTimers(),
      sources: [{ id: 's', adapter: { ...failing('s', 'NOT_FOUND'), storeInstances: store } }],
    });
    await expect(client.storeInstances({ instances: [new Uint8Array(1)] })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    expect(store).toHaveBeenCalledTimes(1);
    await client.searchForStudies().catch(() => undefined);
    expect(client.statistics()[0]!.retries).toBe(0);
  });

  it('opens the circuit after repeated failures, fails fast, then probes and closes it, with events', async () => {
    let now = 0;
    let healthy = false;
    const search = vi.fn(async () => {
      if (!healthy) throw new PacsError('UNAVAILABLE', 'down', { source: 's' });
      return { items: [], errors: [] };
    });
    const client = createFederatedClient({
      clock: { now: () => now },
      retry: { retries: 0 },
      circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 1_000 },
      sources: [
        { id: 's', adapter: fakeAdapter('s', { searchForStudies: search }) },
        { id: 'other', adapter: holding('other', []) },
      ],
    });
    const events: [string, FederationEvent][] = [];
    client.on('sourceDown', (event) => events.push(['down', event]));
    const unsubscribe = client.on('sourceUp', (event) => events.push(['up', event]));
    await client.searchForStudies();
    await client.searchForStudies();
    expect(events).toEqual([['down', { sourceId: 's', circuit: 'open' }]]);
    const fastFail = await client.searchForStudies();
    expect(fastFail.errors[0]).toMatchObject({ sourceId: 's', code: 'CIRCUIT_OPEN' });
    expect(search).toHaveBeenCalledTimes(2);
    expect((await client.health()).status).toBe('degraded');
    now = 1_500;
    healthy = true;
    expect((await client.searchForStudies()).errors).toEqual([]);
    expect(events.at(-1)).toEqual(['up', { sourceId: 's', circuit: 'closed' }]);
    expect((await client.health()).status).toBe('up');
    unsubscribe();
  });

  it('gives a hanging source a per-call TIMEOUT instead of waiting forever', async () => {
    const client = createFederatedClient({
      timeoutMs: 20,
      retry: { retries: 0 },
      sources: [
        { id: 'hang', adapter: fakeAdapter('hang', { searchForStudies: () => new Promise(() => {}) }) },
        { id: 'ok', adapter: holding('ok', [['1.1', '20240101']]) },
      ],
    });
    const result = await client.searchForStudies();
    expect(result.items).toHaveLength(1);
    expect(result.errors).toEqual([expect.objectContaining({ sourceId: 'hang', code: 'TIMEOUT' })]);
  });

  it('stops with ABORTED when the caller aborts', async () => {
    const client = createFederatedClient({
      sources: [
        { id: 'hang', adapter: fakeAdapter('hang', { searchForStudies: () => new Promise(() => {}) }) },
      ],
    });
    const controller = new AbortController();
    const pending = client.searchForStudies({ signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('keeps at most maxConcurrency source calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = (id: string) =>
      fakeAdapter(id, {
        searchForStudies: async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight--;
          return { items: [], errors: [] };
        },
      });
    const client = createFederatedClient({
      maxConcurrency: 2,
      sources: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, adapter: slow(id) })),
    });
    await client.searchForStudies();
    expect(peak).toBe(2);
  });
});

describe('createFederatedClient retrieval', () => {
  it('retrieves from the preferred source holding the study and falls over to the next', async () => {
    const a = holding('a', [['1.2', '20230101']]);
    const b = holding('b', [['1.2', '20230101']]);
    let aDown = false;
    const client = createFederatedClient({
      retry: { retries: 0 },
      sources: [
        {
          id: 'a',
          priority: 5,
          adapter: {
            ...a,
            retrieveStudyMetadata: (options) =>
              aDown
                ? Promise.reject(new PacsError('NETWORK_ERROR', 'refused', { source: 'a' }))
                : a.retrieveStudyMetadata(options),
          },
        },
        { id: 'b', adapter: b },
        { id: 'c', adapter: holding('c', []) },
      ],
    });
    const first = await client.retrieveStudyMetadata({ studyInstanceUID: '1.2' });
    expect(first[0]!['00080018']?.Value).toEqual(['a-sop']);
    aDown = true;
    const second = await client.retrieveStudyMetadata({ studyInstanceUID: '1.2' });
    expect(second[0]!['00080018']?.Value).toEqual(['b-sop']);
    await expect(client.retrieveStudyMetadata({ studyInstanceUID: '9.9' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('passes over a preferred holder that cannot do the operation', async () => {
    const frames = vi.fn(async () => [
      { frameNumber: 1, contentType: 'application/octet-stream', data: new Uint8Array([7]) },
    ]);
    const noFrames = holding('viewer-less', [['1.2', '20230101']]);
    const client = createFederatedClient({
      sources: [
        {
          id: 'preferred',
          priority: 9,
          adapter: {
            ...noFrames,
            capabilities: { ...dicomwebDefaultCapabilities, retrieveInstanceFrames: false },
          },
        },
        {
          id: 'other',
          adapter: { ...holding('other', [['1.2', '20230101']]), retrieveInstanceFrames: frames },
        },
      ],
    });
    const target = {
      studyInstanceUID: '1.2',
      seriesInstanceUID: '3',
      sopInstanceUID: '4',
      frameNumbers: [1],
    };
    expect((await client.retrieveInstanceFrames(target))[0]!.data).toEqual(new Uint8Array([7]));
    const onlyIncapable = createFederatedClient({
      sources: [
        {
          id: 'preferred',
          adapter: {
            ...noFrames,
            capabilities: { ...dicomwebDefaultCapabilities, retrieveInstanceFrames: false },
          },
        },
      ],
    });
    await expect(onlyIncapable.retrieveInstanceFrames(target)).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
    });
  });

  it('remembers a bounded number of study locations and finds forgotten ones by searching again', async () => {
    const search = vi.fn(
      holding('a', [
        ['1.1', '20240101'],
        ['1.2', '20240102'],
        ['1.3', '20240103'],
      ]).searchForStudies,
    );
    const adapter = {
      ...holding('a', [
        ['1.1', '20240101'],
        ['1.2', '20240102'],
        ['1.3', '20240103'],
      ]),
      searchForStudies: search,
    };
    const client = createFederatedClient({ locationCacheSize: 2, sources: [{ id: 'a', adapter }] });
    await client.searchForStudies();
    expect(search).toHaveBeenCalledTimes(1);
    await client.retrieveStudyMetadata({ studyInstanceUID: '1.3' }); // still remembered
    expect(search).toHaveBeenCalledTimes(1);
    await client.retrieveStudyMetadata({ studyInstanceUID: '1.1' }); // evicted: located by a search
    expect(search).toHaveBeenCalledTimes(2);
  });

  it('rejects configuration errors', () => {
    expect(() =>
      createFederatedClient({ sources: [{ id: 'x', adapter: holding('x', []), backupOf: 'nowhere' }] }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
