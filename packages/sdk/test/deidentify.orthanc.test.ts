import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDicomwebAdapter } from '../src/adapters/dicomweb/createDicomwebAdapter.js';
import { deidentifyInstance } from '../src/deidentification/deidentifyInstance.js';
import { createUidMapper, toFhirImagingStudy } from '../src/index.js';
import type { PacsAdapter } from '../src/pacsAdapter.js';
import { readTestFile, startOrthanc } from '../src/testing/node/index.js';
import type { OrthancServer } from '../src/testing/node/index.js';

// De-identification before upload, checked by what a real Orthanc indexes.
describe('deidentifyInstance before upload, and the re-exported FHIR mapping', () => {
  let orthanc: OrthancServer;
  let adapter: PacsAdapter;

  beforeAll(async () => {
    orthanc = await startOrthanc();
    adapter = createDicomwebAdapter({ baseUrl: orthanc.dicomWebUrl, id: 'orthanc' });
  }, 30_000);

  afterAll(async () => {
    await orthanc?.stop();
  });

  it('uploads instances without their identity, with consistent new UIDs', async () => {
    const uidMapper = createUidMapper();
    const files = [await readTestFile('CT_small.dcm'), await readTestFile('JPEG2000.dcm')];
    const anonymous = files.map((file) => deidentifyInstance(file, { uidMapper, patientName: 'ANONYMOUS' }));
    const result = await adapter.storeInstances({ instances: anonymous });
    expect(result.failed).toEqual([]);
    expect(result.stored).toHaveLength(2);
    expect(result.stored.map((item) => item.sopInstanceUID)).not.toContain(
      '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322',
    );
    const original = await adapter.searchForStudies({
      query: { StudyInstanceUID: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322' },
    });
    expect(original.items).toEqual([]);
    const stored = await adapter.searchForStudies({ query: { PatientName: 'ANONYMOUS' } });
    expect(stored.items.length).toBeGreaterThanOrEqual(1);
    expect(stored.items.map((study) => study.PatientID)).not.toContain('1CT1');
    // The shared mapper gives the same new UID for the same original UID, file after file.
    const mappedStudy = uidMapper.map('1.3.6.1.4.1.5962.1.2.1.20040119072730.12322');
    const study = stored.items.find((item) => item.StudyInstanceUID === mappedStudy)!;
    expect(study).toBeDefined();
    const fhir = toFhirImagingStudy({ study: study.dataset, endpoint: 'Endpoint/orthanc' });
    expect(fhir.resourceType).toBe('ImagingStudy');
    expect(fhir.identifier?.[0]?.value).toBe(`urn:oid:${study.StudyInstanceUID}`);
  });
});
