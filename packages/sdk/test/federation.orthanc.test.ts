import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrthancAdapter } from '../src/adapters/orthanc/createOrthancAdapter.js';
import { createFederatedClient } from '../src/federation/createFederatedClient.js';
import type { FederatedClient, FederationEvent } from '../src/federation/createFederatedClient.js';
import { readTestFile, startOrthanc } from '../src/testing/node/index.js';
import type { OrthancServer, UploadedInstance } from '../src/testing/node/index.js';

// Three real Orthancs: "a" (CT + MR), its mirror "a-mirror" (backupOf a, same data) and "c"
// (MR + JPEG2000). "a" is killed, restarted and paused while the client keeps answering.
describe('createFederatedClient against real Orthancs stopped and started', () => {
  let a: OrthancServer;
  let mirror: OrthancServer;
  let c: OrthancServer;
  let client: FederatedClient;
  let ct: UploadedInstance | undefined;
  let ctBytes: Uint8Array;
  const events: [string, FederationEvent][] = [];

  beforeAll(async () => {
    [a, mirror, c] = await Promise.all([startOrthanc(), startOrthanc(), startOrthanc()]);
    ctBytes = await readTestFile('CT_small.dcm');
    const mr = await readTestFile('MR_small.dcm');
    [ct] = await a.upload([ctBytes, mr]);
    await mirror.upload([ctBytes, mr]);
    await c.upload([mr, await readTestFile('JPEG2000.dcm')]);
    client = createFederatedClient({
      // Long enough for a loaded CI machine, short enough that a paused source costs seconds.
      timeoutMs: 2_000,
      retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 20 },
      circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 300 },
      sources: [
        { id: 'a', adapter: createOrthancAdapter({ baseUrl: a.baseUrl, id: 'a' }), priority: 2 },
        {
          id: 'a-mirror',
          adapter: createOrthancAdapter({ baseUrl: mirror.baseUrl, id: 'a-mirror' }),
          backupOf: 'a',
        },
        { id: 'c', adapter: createOrthancAdapter({ baseUrl: c.baseUrl, id: 'c' }), priority: 1 },
      ],
    });
    client.on('sourceDown', (event) => events.push(['down', event]));
    client.on('sourceUp', (event) => events.push(['up', event]));
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), mirror?.stop(), c?.stop()]);
  });

  const studiesWithSources = async () =>
    Object.fromEntries(
      (await client.searchForStudies()).items.map((study) => [study.PatientID, study.sources]),
    );

  it('merges the three archives and notes every holder', async () => {
    const result = await client.searchForStudies();
    expect(result.errors).toEqual([]);
    expect(await studiesWithSources()).toEqual({ '1CT1': ['a'], '4MR1': ['a', 'c'], '8NM1': ['c'] });
    const bytes = await client.retrieveInstance({
      studyInstanceUID: ct!.studyInstanceUID,
      seriesInstanceUID: ct!.seriesInstanceUID,
      sopInstanceUID: ct!.sopInstanceUID,
    });
    expect(Buffer.from(bytes).equals(Buffer.from(ctBytes))).toBe(true);
  });

  it('fails over to the mirror when "a" is killed, and reports it down', async () => {
    await a.kill();
    const result = await client.searchForStudies();
    expect(result.errors).toEqual([]);
    expect(await studiesWithSources()).toEqual({
      '1CT1': ['a-mirror'],
      '4MR1': ['a-mirror', 'c'],
      '8NM1': ['c'],
    });
    expect(events).toContainEqual(['down', { sourceId: 'a', circuit: 'open' }]);
    const bytes = await client.retrieveInstance({
      studyInstanceUID: ct!.studyInstanceUID,
      seriesInstanceUID: ct!.seriesInstanceUID,
      sopInstanceUID: ct!.sopInstanceUID,
    });
    expect(Buffer.from(bytes).equals(Buffer.from(ctBytes))).toBe(true);
    const health = await client.health();
    expect(health.status).toBe('degraded');
    expect(health.sources.find((source) => source.sourceId === 'a')).toMatchObject({
      up: false,
      circuit: 'open',
    });
    expect(
      health.sources.find((source) => source.sourceId === 'a')!.errorsByCode.NETWORK_ERROR,
    ).toBeGreaterThan(0);
  });

  it('brings "a" back after a restart once the circuit lets a probe through', async () => {
    await a.start();
    await new Promise((resolve) => setTimeout(resolve, 350)); // past resetTimeoutMs
    expect(await studiesWithSources()).toEqual({ '1CT1': ['a'], '4MR1': ['a', 'c'], '8NM1': ['c'] });
    expect(events.at(-1)).toEqual(['up', { sourceId: 'a', circuit: 'closed' }]);
    expect((await client.health({ probe: true })).status).toBe('up');
  });

  it('times out a paused (SIGSTOP) "a" and serves from the mirror meanwhile', async () => {
    a.pause();
    try {
      const result = await client.searchForStudies({ query: { PatientID: '1CT1' } });
      expect(result.items.map((study) => study.sources)).toEqual([['a-mirror']]);
      expect(
        client.statistics().find((source) => source.sourceId === 'a')!.errorsByCode.TIMEOUT,
      ).toBeGreaterThan(0);
    } finally {
      a.resume();
    }
  });
});
