import { describe, expect, it } from 'vitest';
import { createDicoogleAdapter } from '../src/adapters/dicoogle/createDicoogleAdapter.js';
import { toLuceneQuery } from '../src/adapters/dicoogle/toLuceneQuery.js';
import { createReplayFetch, describeAdapterConformance } from '../src/testing/index.js';
import { readTestFile } from '../src/testing/node/index.js';
import { readReplays } from './replayFixture.js';

const baseUrl = 'https://dicoogle.test';

async function replayedDicoogle() {
  const { replays } = await readReplays('dicoogle.json');
  const fetch = createReplayFetch({
    baseUrl,
    replays,
    files: { 'CT_small.dcm': await readTestFile('CT_small.dcm') },
  });
  const adapter = createDicoogleAdapter({
    baseUrl,
    id: 'dicoogle-replay',
    fetch,
    credentials: { username: 'dicoogle', password: 'dicoogle' },
  });
  return { adapter, fetch };
}

describeAdapterConformance('dicoogle (replayed)', async () => {
  const { adapter } = await replayedDicoogle();
  return {
    adapter,
    notFoundHttpStatus: 200,
    seed: {
      studyInstanceUID: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
      seriesInstanceUID: '1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322',
      sopInstanceUID: '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322',
      patientID: '1CT1',
      modality: 'CT',
      instanceBytes: await readTestFile('CT_small.dcm'),
    },
  };
});

describe('createDicoogleAdapter specifics', () => {
  it('logs in once and sends the bare token, then re-logs in after a 401', async () => {
    const { adapter, fetch } = await replayedDicoogle();
    await adapter.echo();
    await adapter.echo();
    const logins = fetch.calls.filter((call) => call.path === '/login');
    expect(logins).toHaveLength(1);
    const versionCall = fetch.calls.find((call) => call.path === '/ext/version');
    expect(versionCall!.headers.get('Authorization')).toBe('3f7a1c52-9c1e-4c39-a0a8-4c1d0c3e8f10');
    const stale = createDicoogleAdapter({
      baseUrl,
      fetch,
      token: 'expired-token',
      credentials: { username: 'dicoogle', password: 'dicoogle' },
    });
    expect((await stale.echo()).ok).toBe(true);
    expect(fetch.calls.filter((call) => call.path === '/login')).toHaveLength(2);
  });

  it('sends providers and fields as repeated parameters, as Dicoogle reads them', async () => {
    const { replays } = await readReplays('dicoogle.json');
    const fetch = createReplayFetch({ baseUrl, replays });
    const adapter = createDicoogleAdapter({
      baseUrl,
      fetch,
      token: '3f7a1c52-9c1e-4c39-a0a8-4c1d0c3e8f10',
      provider: ['lucene', 'mongo'],
    });
    await adapter.searchForInstances({ studyInstanceUID: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322' });
    const search = fetch.calls.find((call) => call.path === '/search')!;
    expect(search.query.getAll('provider')).toEqual(['lucene', 'mongo']);
    expect(search.query.getAll('field')).toContain('SOPInstanceUID');
    expect(search.query.has('psize')).toBe(false);
    await adapter.searchForInstances({
      studyInstanceUID: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
      limit: 5,
      offset: 10,
    });
    const paged = fetch.calls.filter((call) => call.path === '/search').at(-1)!;
    expect([paged.query.get('psize'), paged.query.get('offset')]).toEqual(['5', '10']);
  });

  it('reads the DIM tree with its serie… keys into typed series', async () => {
    const { adapter } = await replayedDicoogle();
    const { items } = await adapter.searchForSeries({
      studyInstanceUID: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
    });
    expect(items).toEqual([
      expect.objectContaining({
        SeriesInstanceUID: '1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322',
        SeriesNumber: 1,
        Modality: 'CT',
        NumberOfSeriesRelatedInstances: 1,
      }),
    ]);
  });

  it('fails with UNAUTHENTICATED when a token is rejected and there are no credentials', async () => {
    const { replays } = await readReplays('dicoogle.json');
    const adapter = createDicoogleAdapter({
      baseUrl,
      token: 'wrong',
      fetch: createReplayFetch({ baseUrl, replays }),
    });
    await expect(adapter.echo()).rejects.toMatchObject({ code: 'UNAUTHENTICATED', source: 'dicoogle' });
  });
});

describe('toLuceneQuery', () => {
  it('maps keys, ranges, lists and wildcards to Lucene', () => {
    expect(toLuceneQuery({}, 's')).toBe('*:*');
    expect(toLuceneQuery({ PatientName: 'DOE^J*', StudyDate: '20240101-' }, 's')).toBe(
      'PatientName:DOE\\^J* AND StudyDate:[20240101 TO 99991231]',
    );
    expect(toLuceneQuery({ '0020000D': '1.2.3,1.2.4', ModalitiesInStudy: 'CT' }, 's')).toBe(
      '(StudyInstanceUID:1.2.3 OR StudyInstanceUID:1.2.4) AND Modality:CT',
    );
    expect(toLuceneQuery({ PatientID: 'a b:(c)' }, 's')).toBe('PatientID:a\\ b\\:\\(c\\)');
  });

  it('rejects a key it cannot map with INVALID_QUERY', () => {
    expect(() => toLuceneQuery({ NoSuchKeyword: 'x' }, 's')).toThrow(
      expect.objectContaining({ code: 'INVALID_QUERY' }),
    );
  });
});
