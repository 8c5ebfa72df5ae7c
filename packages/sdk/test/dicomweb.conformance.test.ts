import { createDicomwebAdapter } from '../src/adapters/dicomweb/createDicomwebAdapter.js';
import { describeAdapterConformance } from '../src/testing/index.js';
import { startSeededOrthanc } from './orthancFixture.js';

// The generic DICOMweb adapter against a real Orthanc 1.10 + DICOMweb plugin 1.7. The plugin has
// no /thumbnail resources, so thumbnails are rendered; it has no DICOMweb delete.
describeAdapterConformance('dicomweb on Orthanc', async () => {
  const { orthanc, seed } = await startSeededOrthanc();
  return {
    adapter: createDicomwebAdapter({
      baseUrl: orthanc.dicomWebUrl,
      id: 'orthanc-dicomweb',
      thumbnails: 'rendered',
    }),
    seed,
    teardown: () => orthanc.stop(),
  };
});
