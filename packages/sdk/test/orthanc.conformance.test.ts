import { createOrthancAdapter } from '../src/adapters/orthanc/createOrthancAdapter.js';
import { describeAdapterConformance } from '../src/testing/index.js';
import { startSeededOrthanc } from './orthancFixture.js';

describeAdapterConformance('orthanc (study search through /tools/find)', async () => {
  const { orthanc, seed } = await startSeededOrthanc();
  return {
    adapter: createOrthancAdapter({ baseUrl: orthanc.baseUrl, id: 'orthanc-find' }),
    seed,
    teardown: () => orthanc.stop(),
  };
});

describeAdapterConformance('orthanc (study search through QIDO-RS)', async () => {
  const { orthanc, seed } = await startSeededOrthanc();
  return {
    adapter: createOrthancAdapter({ baseUrl: orthanc.baseUrl, id: 'orthanc-qido', studySearch: 'qido' }),
    seed,
    teardown: () => orthanc.stop(),
  };
});
