import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveAdapter } from '../src/adapters/archive/createArchiveAdapter.js';
import { createDicoogleAdapter } from '../src/adapters/dicoogle/createDicoogleAdapter.js';
import { createOrthancAdapter } from '../src/adapters/orthanc/createOrthancAdapter.js';
import { createFederatedClient } from '../src/federation/createFederatedClient.js';
import type { FederatedClient } from '../src/federation/createFederatedClient.js';
import { createReplayFetch } from '../src/testing/index.js';
import { readTestFile, startOrthanc } from '../src/testing/node/index.js';
import type { OrthancServer } from '../src/testing/node/index.js';
import type { ArchiveServer } from './archiveServerFixture.js';
import { startArchiveServer } from './archiveServerFixture.js';
import { readReplays } from './replayFixture.js';

// Three kinds of archive behind one client: a real Orthanc (MR), the real PacsKit archive (MR +
// JPEG2000) and a replayed Dicoogle (CT + MR). Each speaks its own protocol; the merged result
// must not care.
describe('createFederatedClient over Orthanc, the PacsKit archive and Dicoogle', () => {
  let orthanc: OrthancServer;
  let archive: ArchiveServer;
  let client: FederatedClient;

  beforeAll(async () => {
    [orthanc, archive] = await Promise.all([startOrthanc(), startArchiveServer()]);
    const mr = await readTestFile('MR_small_implicit.dcm');
    await orthanc.upload([mr]);
    const archiveAdapter = createArchiveAdapter({
      baseUrl: archive.baseUrl,
      auth: { type: 'basic', username: archive.username, password: archive.password },
    });
    await archiveAdapter.storeInstances({ instances: [mr, await readTestFile('JPEG2000.dcm')] });
    const { replays } = await readReplays('dicoogle.json');
    const dicoogleBase = 'https://dicoogle.test';
    client = createFederatedClient({
      sources: [
        { id: 'orthanc', adapter: createOrthancAdapter({ baseUrl: orthanc.baseUrl }), priority: 3 },
        { id: 'archive', adapter: archiveAdapter, priority: 2 },
        {
          id: 'dicoogle',
          adapter: createDicoogleAdapter({
            baseUrl: dicoogleBase,
            fetch: createReplayFetch({ baseUrl: dicoogleBase, replays }),
            credentials: { username: 'dicoogle', password: 'dicoogle' },
          }),
        },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([orthanc?.stop(), archive?.stop()]);
  });

  it('merges the same study from three protocols into one row that lists every holder', async () => {
    const result = await client.searchForStudies();
    expect(result.errors).toEqual([]);
    const byPatient = Object.fromEntries(result.items.map((study) => [study.PatientID, study.sources]));
    expect(byPatient).toEqual({
      '4MR1': ['orthanc', 'archive', 'dicoogle'],
      '8NM1': ['archive'],
      '1CT1': ['dicoogle'],
    });
    const mr = result.items.find((study) => study.PatientID === '4MR1')!;
    expect(mr.ModalitiesInStudy).toEqual(['MR']);
  });

  it('retrieves from the preferred holder', async () => {
    const bytes = await client.retrieveInstance({
      studyInstanceUID: '1.3.6.1.4.1.5962.1.2.4.20040826185059.5457',
      seriesInstanceUID: '1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5457',
      sopInstanceUID: '1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457',
    });
    expect(Buffer.from(bytes).equals(Buffer.from(await readTestFile('MR_small_implicit.dcm')))).toBe(true);
    const orthancStats = client.statistics().find((source) => source.sourceId === 'orthanc')!;
    expect(orthancStats.requests).toBeGreaterThanOrEqual(2); // the search and the retrieval
  });
});
