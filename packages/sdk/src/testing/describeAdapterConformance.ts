import { isPacsError } from '@pacskit/dicom';
import type { PacsError } from '@pacskit/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PacsAdapter } from '../pacsAdapter.js';

/**
 * What the archive under test holds before the suite runs: the seed instance and at least one
 * other study (paging is checked on two).
 */
export interface ConformanceSeed {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  patientID: string;
  /** The Modality of the seed series. */
  modality: string;
  /** The seed instance's Part 10 bytes as uploaded: `retrieveInstance` must return them byte for byte. */
  instanceBytes?: Uint8Array;
  /** Byte length of frame 1 when stored uncompressed (Rows × Columns × samples × bytes). */
  frameLength?: number;
  /** A multi-frame instance the archive holds, stored uncompressed, to check frame selection and order. */
  multiFrame?: {
    studyInstanceUID: string;
    seriesInstanceUID: string;
    sopInstanceUID: string;
    numberOfFrames: number;
    frameLength: number;
  };
  /** An instance the archive does not hold yet, for store (and delete). */
  storeInstance?: {
    bytes: Uint8Array;
    studyInstanceUID: string;
    sopInstanceUID: string;
  };
}

export interface ConformanceContext {
  adapter: PacsAdapter;
  seed: ConformanceSeed;
  /** Called after the suite (stop servers, remove files). */
  teardown?: () => Promise<void>;
  /**
   * The HTTP status an unknown study comes back with (default 404). Archives without a
   * not-found status (Dicoogle answers 200 with no results) set theirs.
   */
  notFoundHttpStatus?: number;
}

const unknownUID = '2.25.999999999999999999999999999999999';

/**
 * The shared conformance suite every adapter passes (DESIGN.md, `@pacskit/sdk/testing`).
 * What an adapter's `capabilities` exclude is asserted to fail with NOT_SUPPORTED, never skipped.
 */
export function describeAdapterConformance(name: string, setup: () => Promise<ConformanceContext>): void {
  describe(`PacsAdapter conformance: ${name}`, () => {
    let context: ConformanceContext;
    const adapter = () => context.adapter;
    const seed = () => context.seed;
    const capable = (capability: keyof PacsAdapter['capabilities']) => adapter().capabilities[capability];

    beforeAll(async () => {
      context = await setup();
    }, 60_000);
    afterAll(async () => {
      await context?.teardown?.();
    }, 30_000);

    async function expectNotSupported(call: () => Promise<unknown>) {
      const error = await rejection(call());
      expect(error.code).toBe('NOT_SUPPORTED');
      expect(error.source).toBe(adapter().id);
    }

    it('searchForStudies finds the seed study by PatientID and by StudyInstanceUID', async () => {
      if (!capable('searchForStudies')) return expectNotSupported(() => adapter().searchForStudies());
      const byPatient = await adapter().searchForStudies({ query: { PatientID: seed().patientID } });
      expect(byPatient.errors).toEqual([]);
      const study = byPatient.items.find((item) => item.StudyInstanceUID === seed().studyInstanceUID);
      expect(study).toBeDefined();
      expect(study!.PatientID).toBe(seed().patientID);
      expect(study!.sources).toEqual([adapter().id]);
      expect(study!.dataset['0020000D']?.Value).toEqual([seed().studyInstanceUID]);
      const byUID = await adapter().searchForStudies({
        query: { StudyInstanceUID: seed().studyInstanceUID },
      });
      expect(byUID.items.map((item) => item.StudyInstanceUID)).toEqual([seed().studyInstanceUID]);
    });

    it('searchForStudies returns nothing for a PatientID nobody has, and honours limit', async () => {
      if (!capable('searchForStudies')) return;
      const none = await adapter().searchForStudies({ query: { PatientID: 'PACSKIT-NOBODY-0000' } });
      expect(none.items).toEqual([]);
      const limited = await adapter().searchForStudies({ limit: 1 });
      expect(limited.items.length).toBe(1);
    });

    it('searchForStudies pages with limit and offset', async () => {
      if (!capable('searchForStudies')) return;
      const first = await adapter().searchForStudies({ limit: 1, offset: 0 });
      const second = await adapter().searchForStudies({ limit: 1, offset: 1 });
      expect(first.items).toHaveLength(1);
      expect(second.items).toHaveLength(1);
      expect(second.items[0]!.StudyInstanceUID).not.toBe(first.items[0]!.StudyInstanceUID);
    });

    it('searchForSeries finds the seed series across studies by Modality', async () => {
      if (!capable('searchForSeries')) return;
      const result = await adapter().searchForSeries({ query: { Modality: seed().modality } });
      const series = result.items.find((item) => item.SeriesInstanceUID === seed().seriesInstanceUID);
      expect(series).toBeDefined();
      expect(result.items.every((item) => item.Modality === seed().modality)).toBe(true);
    });

    it('searchForSeries lists the seed series with its modality', async () => {
      if (!capable('searchForSeries')) return expectNotSupported(() => adapter().searchForSeries());
      const result = await adapter().searchForSeries({ studyInstanceUID: seed().studyInstanceUID });
      const series = result.items.find((item) => item.SeriesInstanceUID === seed().seriesInstanceUID);
      expect(series).toBeDefined();
      expect(series!.Modality).toBe(seed().modality);
      expect(series!.StudyInstanceUID).toBe(seed().studyInstanceUID);
    });

    it('searchForInstances lists the seed instance in its series', async () => {
      if (!capable('searchForInstances')) return expectNotSupported(() => adapter().searchForInstances());
      const result = await adapter().searchForInstances({
        studyInstanceUID: seed().studyInstanceUID,
        seriesInstanceUID: seed().seriesInstanceUID,
      });
      const instance = result.items.find((item) => item.SOPInstanceUID === seed().sopInstanceUID);
      expect(instance).toBeDefined();
      expect(instance!.SeriesInstanceUID).toBe(seed().seriesInstanceUID);
    });

    it('retrieves study, series and instance metadata', async () => {
      const target = {
        studyInstanceUID: seed().studyInstanceUID,
        seriesInstanceUID: seed().seriesInstanceUID,
        sopInstanceUID: seed().sopInstanceUID,
      };
      if (!capable('retrieveMetadata'))
        return expectNotSupported(() => adapter().retrieveStudyMetadata(target));
      const sopUIDs = (datasets: { '00080018'?: { Value?: unknown[] } }[]) =>
        datasets.map((dataset) => dataset['00080018']?.Value?.[0]);
      expect(sopUIDs(await adapter().retrieveStudyMetadata(target))).toContain(seed().sopInstanceUID);
      expect(sopUIDs(await adapter().retrieveSeriesMetadata(target))).toContain(seed().sopInstanceUID);
      const instance = await adapter().retrieveInstanceMetadata(target);
      expect(instance['00080018']?.Value).toEqual([seed().sopInstanceUID]);
      expect(instance['0020000E']?.Value).toEqual([seed().seriesInstanceUID]);
    });

    it('retrieveInstance returns the Part 10 file, byte for byte', async () => {
      const target = {
        studyInstanceUID: seed().studyInstanceUID,
        seriesInstanceUID: seed().seriesInstanceUID,
        sopInstanceUID: seed().sopInstanceUID,
      };
      if (!capable('retrieveInstance')) return expectNotSupported(() => adapter().retrieveInstance(target));
      const bytes = await adapter().retrieveInstance(target);
      expect(new TextDecoder().decode(bytes.subarray(128, 132))).toBe('DICM');
      if (seed().instanceBytes) expect(equalBytes(bytes, seed().instanceBytes!)).toBe(true);
    });

    it('retrieveInstanceFrames returns frame 1', async () => {
      const target = {
        studyInstanceUID: seed().studyInstanceUID,
        seriesInstanceUID: seed().seriesInstanceUID,
        sopInstanceUID: seed().sopInstanceUID,
        frameNumbers: [1],
      };
      if (!capable('retrieveInstanceFrames'))
        return expectNotSupported(() => adapter().retrieveInstanceFrames(target));
      const frames = await adapter().retrieveInstanceFrames(target);
      expect(frames).toHaveLength(1);
      expect(frames[0]!.frameNumber).toBe(1);
      expect(frames[0]!.data.length).toBeGreaterThan(0);
      if (seed().frameLength !== undefined) expect(frames[0]!.data.length).toBe(seed().frameLength);
    });

    it('retrieveInstanceFrames picks frames of a multi-frame instance in the order asked', async () => {
      const multiFrame = seed().multiFrame;
      if (!multiFrame || !capable('retrieveInstanceFrames')) return;
      const { numberOfFrames, frameLength, ...target } = multiFrame;
      const frames = await adapter().retrieveInstanceFrames({ ...target, frameNumbers: [numberOfFrames, 2] });
      expect(frames.map((frame) => frame.frameNumber)).toEqual([numberOfFrames, 2]);
      expect(frames.map((frame) => frame.data.length)).toEqual([frameLength, frameLength]);
      const error = await rejection(adapter().retrieveInstanceFrames({ ...target, frameNumbers: [0] }));
      expect(error.code).toBe('INVALID_ARGUMENT');
    });

    it('retrieveRendered returns a JPEG or PNG image', async () => {
      const target = {
        studyInstanceUID: seed().studyInstanceUID,
        seriesInstanceUID: seed().seriesInstanceUID,
        sopInstanceUID: seed().sopInstanceUID,
      };
      if (!capable('retrieveRendered')) return expectNotSupported(() => adapter().retrieveRendered(target));
      expectImage(await adapter().retrieveRendered({ ...target, mediaType: 'image/jpeg' }));
    });

    it('retrieveThumbnail returns an image of the study', async () => {
      const target = { studyInstanceUID: seed().studyInstanceUID };
      if (!capable('retrieveThumbnail')) return expectNotSupported(() => adapter().retrieveThumbnail(target));
      expectImage(await adapter().retrieveThumbnail(target));
    });

    it('storeInstances stores a new instance that search then finds; deleteStudy removes it', async () => {
      const store = seed().storeInstance;
      if (!capable('storeInstances') || !store) {
        if (!capable('storeInstances')) {
          await expectNotSupported(() => adapter().storeInstances({ instances: [new Uint8Array(132)] }));
        }
        return;
      }
      const result = await adapter().storeInstances({ instances: [store.bytes] });
      expect(result.failed).toEqual([]);
      expect(result.stored.map((item) => item.sopInstanceUID)).toEqual([store.sopInstanceUID]);
      const found = await adapter().searchForStudies({ query: { StudyInstanceUID: store.studyInstanceUID } });
      expect(found.items.map((item) => item.StudyInstanceUID)).toEqual([store.studyInstanceUID]);
      if (!capable('deleteStudy')) {
        return expectNotSupported(() => adapter().deleteStudy({ studyInstanceUID: store.studyInstanceUID }));
      }
      await adapter().deleteStudy({ studyInstanceUID: store.studyInstanceUID });
      const after = await adapter().searchForStudies({ query: { StudyInstanceUID: store.studyInstanceUID } });
      expect(after.items).toEqual([]);
    });

    it('echo answers with a latency', async () => {
      const result = await adapter().echo();
      expect(result.ok).toBe(true);
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    });

    it('maps an unknown study to NOT_FOUND with the source and HTTP status', async () => {
      if (!capable('retrieveMetadata')) return;
      const error = await rejection(adapter().retrieveStudyMetadata({ studyInstanceUID: unknownUID }));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.source).toBe(adapter().id);
      expect(error.httpStatus).toBe(context.notFoundHttpStatus ?? 404);
    });

    it('maps an unknown instance to NOT_FOUND', async () => {
      if (!capable('retrieveInstance')) return;
      const error = await rejection(
        adapter().retrieveInstance({
          studyInstanceUID: seed().studyInstanceUID,
          seriesInstanceUID: seed().seriesInstanceUID,
          sopInstanceUID: unknownUID,
        }),
      );
      expect(error.code).toBe('NOT_FOUND');
      expect(error.source).toBe(adapter().id);
    });

    it('stops with ABORTED when the signal is already aborted', async () => {
      const error = await rejection(adapter().echo({ signal: AbortSignal.abort() }));
      expect(error.code).toBe('ABORTED');
    });
  });
}

async function rejection(promise: Promise<unknown>): Promise<PacsError> {
  try {
    await promise;
  } catch (error) {
    if (isPacsError(error)) return error;
    throw new Error(`expected a PacsError, got ${String(error)}`);
  }
  throw new Error('expected the call to fail');
}

function expectImage(image: { contentType: string; data: Uint8Array }) {
  expect(['image/jpeg', 'image/png']).toContain(image.contentType);
  const jpeg = image.data[0] === 0xff && image.data[1] === 0xd8;
  const png =
    image.data[0] === 0x89 && image.data[1] === 0x50 && image.data[2] === 0x4e && image.data[3] === 0x47;
  expect(image.contentType === 'image/jpeg' ? jpeg : png).toBe(true);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
