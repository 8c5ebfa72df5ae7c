import { describe, expect, it } from 'vitest';
import { createPostDicomAdapter } from '../src/adapters/postdicom/createPostDicomAdapter.js';
import { encodeMultipartRelated } from '../src/multipart/encodeMultipartRelated.js';
import { createReplayFetch, describeAdapterConformance } from '../src/testing/index.js';
import { readTestFile } from '../src/testing/node/index.js';
import { readReplays } from './replayFixture.js';

const baseUrl = 'https://postdicom.test/dicomweb';

async function replayedPostDicom(password = 'correct horse') {
  const { replays } = await readReplays('postdicom.json');
  const ct = await readTestFile('CT_small.dcm');
  const fetch = createReplayFetch({
    baseUrl,
    replays,
    files: {
      'CT_small.multipart': encodeMultipartRelated([ct], 'application/dicom', 'DICOM DATA BOUNDARY').body,
    },
  });
  const adapter = createPostDicomAdapter({
    baseUrl,
    username: 'radiology@example.org',
    password,
    fetch,
    id: 'postdicom-replay',
  });
  return { adapter, fetch, ct };
}

describeAdapterConformance('postdicom (replayed)', async () => {
  const { adapter, ct } = await replayedPostDicom();
  return {
    adapter,
    seed: {
      studyInstanceUID: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
      seriesInstanceUID: '1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322',
      sopInstanceUID: '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322',
      patientID: '1CT1',
      modality: 'CT',
      instanceBytes: ct,
      storeInstance: {
        bytes: await readTestFile('JPEG2000.dcm'),
        studyInstanceUID: '1.3.6.1.4.1.5962.1.2.8.20040826185059.5457',
        sopInstanceUID: '1.3.6.1.4.1.5962.1.1.8.1.3.20040826185059.5457',
      },
    },
  };
});

describe('createPostDicomAdapter specifics', () => {
  it('creates a share link with the parameters as JSON in the ShareParameters header', async () => {
    const { adapter, fetch } = await replayedPostDicom();
    const link = await adapter.createShareLink({
      patientOrderUuids: ['0b6f7c1e-aaaa-bbbb-cccc-1234567890ab'],
      expireDate: '2026-12-31',
      password: 'letmein',
      downloadable: true,
    });
    expect(link.url).toBe('https://www.postdicom.com/share/5f1c2e8a');
    const call = fetch.calls.find((item) => item.path === '/createsharelink')!;
    const parameters = JSON.parse(call.headers.get('ShareParameters')!);
    expect(parameters).toEqual({
      PatientOrderInfoList: JSON.stringify([
        JSON.stringify({ PatientOrderUuid: '0b6f7c1e-aaaa-bbbb-cccc-1234567890ab' }),
      ]),
      ExpireDate: '2026-12-31',
      SharePassword: 'letmein',
      Downloadable: 'true',
    });
  });

  it('rejects a malformed expiry date before any request', async () => {
    const { adapter, fetch } = await replayedPostDicom();
    await expect(
      adapter.createShareLink({ patientOrderUuids: ['x'], expireDate: '31/12/2026' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(fetch.calls).toHaveLength(0);
  });

  it('maps wrong Basic credentials to UNAUTHENTICATED with HTTP 401', async () => {
    const { adapter } = await replayedPostDicom('wrong');
    await expect(adapter.searchForStudies({ query: { PatientID: '1CT1' } })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      httpStatus: 401,
      source: 'postdicom-replay',
    });
  });

  it('sends query keys as tags, as PostDICOM documents them', async () => {
    const { adapter, fetch } = await replayedPostDicom();
    await adapter.searchForStudies({ query: { PatientID: '1CT1' } });
    expect(fetch.calls[0]!.query.get('00100020')).toBe('1CT1');
  });
});
