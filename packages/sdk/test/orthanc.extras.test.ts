import { isPacsError } from '@pacskit/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrthancAdapter } from '../src/adapters/orthanc/createOrthancAdapter.js';
import type { OrthancAdapter } from '../src/adapters/orthanc/createOrthancAdapter.js';
import { freePort, readTestFile, startOrthanc } from '../src/testing/node/index.js';
import { buildImageIds } from '../src/viewer/buildImageIds.js';
import type { OrthancServer, UploadedInstance } from '../src/testing/node/index.js';

// Two real Orthancs: "main" (the adapter's) and "peer" (a remote modality holding MR_small).
describe('createOrthancAdapter REST extras', () => {
  let main: OrthancServer;
  let peer: OrthancServer;
  let adapter: OrthancAdapter;
  let ct: UploadedInstance | undefined;
  let mr: UploadedInstance | undefined;

  beforeAll(async () => {
    const mainDicomPort = await freePort();
    peer = await startOrthanc({
      aet: 'PEER',
      modalities: { main: { aet: 'MAIN', host: '127.0.0.1', port: mainDicomPort } },
    });
    main = await startOrthanc({
      aet: 'MAIN',
      dicomPort: mainDicomPort,
      modalities: { peer: { aet: 'PEER', host: '127.0.0.1', port: peer.dicomPort } },
    });
    [ct] = await main.upload([await readTestFile('CT_small.dcm')]);
    [mr] = await peer.upload([await readTestFile('MR_small.dcm')]);
    adapter = createOrthancAdapter({ baseUrl: main.baseUrl, id: 'main' });
  }, 60_000);

  afterAll(async () => {
    await main?.stop();
    await peer?.stop();
  });

  it('builds wadors: and wadouri: image IDs whose URLs Orthanc serves', async () => {
    const target = { studyInstanceUID: ct!.studyInstanceUID, seriesInstanceUID: ct!.seriesInstanceUID };
    const [wadors] = await buildImageIds({ baseUrl: main.dicomWebUrl, adapter, ...target, scheme: 'wadors' });
    const frame = await fetch(wadors!.slice('wadors:'.length), {
      headers: { Accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' },
    });
    expect(frame.status).toBe(200);
    const [wadouri] = await buildImageIds({
      baseUrl: main.dicomWebUrl,
      wadoUriUrl: `${main.baseUrl}/wado`,
      adapter,
      ...target,
      scheme: 'wadouri',
    });
    const answer = await fetch(wadouri!.slice('wadouri:'.length));
    const file = new Uint8Array(await answer.arrayBuffer());
    expect(answer.status).toBe(200);
    expect(new TextDecoder().decode(file.subarray(128, 132))).toBe('DICM');
  });

  it('scales a thumbnail to the requested viewport', async () => {
    const small = await adapter.retrieveThumbnail({
      studyInstanceUID: ct!.studyInstanceUID,
      viewport: { width: 64, height: 64 },
    });
    const full = await adapter.retrieveThumbnail({ studyInstanceUID: ct!.studyInstanceUID });
    const size = (png: Uint8Array) => {
      const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
      return [view.getUint32(16), view.getUint32(20)]; // IHDR width and height
    };
    expect(small.contentType).toBe('image/png');
    expect(size(small.data)).toEqual([64, 64]);
    expect(size(full.data)).toEqual([128, 128]);
  });

  it('keeps the transfer syntax of compressed frames (dicomweb-client#108)', async () => {
    const [rle] = await main.upload([await readTestFile('SC_rgb_rle_2frame.dcm')]);
    const frames = await adapter.retrieveInstanceFrames({
      studyInstanceUID: rle!.studyInstanceUID,
      seriesInstanceUID: rle!.seriesInstanceUID,
      sopInstanceUID: rle!.sopInstanceUID,
      frameNumbers: [1, 2],
    });
    expect(frames.map((frame) => frame.frameNumber)).toEqual([1, 2]);
    expect(frames.map((frame) => frame.transferSyntaxUID)).toEqual([
      '1.2.840.10008.1.2.5',
      '1.2.840.10008.1.2.5',
    ]);
    // An RLE frame starts with its 64-byte header: the segment count (3 for RGB), little endian.
    expect(frames.map((frame) => frame.data[0])).toEqual([3, 3]);
  });

  it("reports garbage sent to STOW-RS as a PacsError with Orthanc's status, and stores nothing", async () => {
    const before = (await adapter.searchForStudies()).items.length;
    await expect(
      adapter.storeInstances({ instances: [new TextEncoder().encode('not a DICOM file')] }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      httpStatus: 400,
      source: 'main',
    });
    expect((await adapter.searchForStudies()).items.length).toBe(before);
  });

  it('downloads a study as a ZIP', async () => {
    const zip = await adapter.retrieveStudyArchive({ studyInstanceUID: ct!.studyInstanceUID });
    expect([...zip.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    expect(zip.length).toBeGreaterThan(1000);
  });

  it('fills ModalitiesInStudy and the counts that /tools/find lacks', async () => {
    const [study] = (await adapter.searchForStudies({ query: { StudyInstanceUID: ct!.studyInstanceUID } }))
      .items;
    expect(study!.ModalitiesInStudy).toEqual(['CT']);
    expect(study!.NumberOfStudyRelatedSeries).toBe(1);
    expect(study!.NumberOfStudyRelatedInstances).toBe(1);
  });

  it('searches studies by ModalitiesInStudy through /tools/find', async () => {
    expect((await adapter.searchForStudies({ query: { ModalitiesInStudy: 'CT' } })).items).toHaveLength(1);
    expect((await adapter.searchForStudies({ query: { ModalitiesInStudy: 'MR' } })).items).toHaveLength(0);
  });

  it('queries a remote modality and retrieves a study from it with C-MOVE', async () => {
    expect(await adapter.listModalities()).toEqual(['peer']);
    const answers = await adapter.queryModality({
      modality: 'peer',
      level: 'Study',
      query: { PatientID: mr!.patientID, StudyInstanceUID: '' },
    });
    expect(answers.map((answer) => answer['0020000D']?.Value?.[0])).toEqual([mr!.studyInstanceUID]);
    await adapter.retrieveFromModality({ modality: 'peer', studyInstanceUID: mr!.studyInstanceUID });
    const moved = await adapter.searchForStudies({ query: { StudyInstanceUID: mr!.studyInstanceUID } });
    expect(moved.items.map((study) => study.StudyInstanceUID)).toEqual([mr!.studyInstanceUID]);
  });

  it('maps an unknown modality and an unknown study to PacsErrors', async () => {
    const unknownModality = await adapter
      .queryModality({ modality: 'nowhere', level: 'Study', query: {} })
      .catch((error: unknown) => error);
    expect(isPacsError(unknownModality)).toBe(true);
    expect((unknownModality as { source?: string }).source).toBe('main');
    const unknownStudy = await adapter
      .retrieveStudyArchive({ studyInstanceUID: '2.25.1' })
      .catch((error: unknown) => error);
    expect(isPacsError(unknownStudy, 'NOT_FOUND')).toBe(true);
  });

  it('reports a killed Orthanc as NETWORK_ERROR and a paused one as TIMEOUT', async () => {
    const scratch = await startOrthanc();
    try {
      const quick = createOrthancAdapter({ baseUrl: scratch.baseUrl, id: 'scratch', timeoutMs: 300 });
      scratch.pause();
      expect(await quick.echo().catch((error: unknown) => (error as { code?: string }).code)).toBe('TIMEOUT');
      scratch.resume();
      await scratch.kill();
      expect(await quick.echo().catch((error: unknown) => (error as { code?: string }).code)).toBe(
        'NETWORK_ERROR',
      );
    } finally {
      await scratch.stop();
    }
  });
});
