import type { ConformanceSeed } from '../src/testing/index.js';
import { readTestFile, startOrthanc } from '../src/testing/node/index.js';
import type { OrthancServer } from '../src/testing/node/index.js';

/** A real Orthanc loaded with pydicom's CT_small and MR_small; CT_small is the conformance seed. */
export async function startSeededOrthanc(): Promise<{ orthanc: OrthancServer; seed: ConformanceSeed }> {
  const orthanc = await startOrthanc();
  try {
    const ct = await readTestFile('CT_small.dcm');
    const [seedInstance] = await orthanc.upload([
      ct,
      await readTestFile('MR_small.dcm'),
      await readTestFile('rtdose.dcm'),
    ]);
    const seed: ConformanceSeed = {
      studyInstanceUID: seedInstance!.studyInstanceUID,
      seriesInstanceUID: seedInstance!.seriesInstanceUID,
      sopInstanceUID: seedInstance!.sopInstanceUID,
      patientID: seedInstance!.patientID,
      modality: seedInstance!.modality,
      instanceBytes: ct,
      // CT_small: 128 × 128, one sample, 16 bits allocated, explicit VR little endian.
      frameLength: 128 * 128 * 2,
      // pydicom's rtdose.dcm: 15 frames of 10 × 10 32-bit doses, implicit VR little endian.
      multiFrame: {
        studyInstanceUID: '1.2.999.999.99.9.9999.8888',
        seriesInstanceUID: '1.2.777.777.77.7.7777.7777',
        sopInstanceUID: '1.9.999.999.99.9.9999.9999.20030818153516',
        numberOfFrames: 15,
        frameLength: 10 * 10 * 4,
      },
      storeInstance: {
        bytes: await readTestFile('JPEG2000.dcm'),
        // The UIDs in pydicom's JPEG2000.dcm (dcmdump).
        studyInstanceUID: '1.3.6.1.4.1.5962.1.2.8.20040826185059.5457',
        sopInstanceUID: '1.3.6.1.4.1.5962.1.1.8.1.3.20040826185059.5457',
      },
    };
    return { orthanc, seed };
  } catch (error) {
    await orthanc.stop();
    throw error;
  }
}
