import type { PacsClient } from '@pacskit/react';
import { createDicomwebAdapter } from '@pacskit/sdk';
import type { PacsAdapter, Series } from '@pacskit/sdk';
import type { PortalConfig } from './portalConfig.js';
import type { Session } from './signIn.js';

/**
 * The one place the portal chooses its archives: the PacsKit archive on this origin and, in the
 * federated mode, a second DICOMweb archive (Orthanc) next to it.
 */
export function createPortalClient(config: PortalConfig, session: Session): PacsClient {
  const archive = createDicomwebAdapter({ baseUrl: config.dicomwebUrl, id: 'archive', auth: session.auth });
  return withImageIds(withSeriesStudyUID(archive), config.dicomwebUrl);
}

/**
 * Workaround: the archive's QIDO-RS series results leave out StudyInstanceUID, and the SDK's
 * `toSeries` does not fill it from the request, so series would point at study "". Remove once
 * either side fills it.
 */
function withSeriesStudyUID(adapter: PacsAdapter): PacsAdapter {
  const searchForSeries: PacsAdapter['searchForSeries'] = async (options) => {
    const result = await adapter.searchForSeries(options);
    const studyInstanceUID = options?.studyInstanceUID;
    if (!studyInstanceUID) return result;
    const items = result.items.map((series) =>
      series.StudyInstanceUID ? series : { ...series, StudyInstanceUID: studyInstanceUID },
    );
    return { ...result, items };
  };
  return Object.assign(Object.create(adapter) as PacsAdapter, { searchForSeries });
}

/**
 * Adds `imageIdsForSeries` (Cornerstone `wadors:` ids, one per frame, in InstanceNumber order,
 * PS3.18 10.4.1.1.4 frame URLs) to an adapter that does not build them itself.
 */
function withImageIds(adapter: PacsAdapter & Partial<PacsClient>, baseUrl: string): PacsClient {
  if (adapter.imageIdsForSeries) return adapter;
  const imageIdsForSeries = async ({ series, signal }: { series: Series; signal?: AbortSignal }) => {
    const { items } = await adapter.searchForInstances({
      studyInstanceUID: series.StudyInstanceUID,
      seriesInstanceUID: series.SeriesInstanceUID,
      ...(signal ? { signal } : {}),
    });
    const sorted = [...items].sort((a, b) => (a.InstanceNumber ?? 0) - (b.InstanceNumber ?? 0));
    return sorted.flatMap((instance) => {
      // The series' UIDs, not the instance's: QIDO-RS instance results need not repeat them.
      const url = `${baseUrl}/studies/${series.StudyInstanceUID}/series/${series.SeriesInstanceUID}/instances/${instance.SOPInstanceUID}`;
      const frames = Math.max(1, instance.NumberOfFrames ?? 1);
      return Array.from({ length: frames }, (_, index) => `wadors:${url}/frames/${index + 1}`);
    });
  };
  // Delegate through the prototype so the adapter's own methods keep their `this`.
  return Object.assign(Object.create(adapter) as PacsAdapter, { imageIdsForSeries });
}
