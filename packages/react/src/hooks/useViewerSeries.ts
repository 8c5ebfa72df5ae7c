import { PacsError } from '@pacskit/dicom';
import type { ViewerSeries } from '@pacskit/viewer';
import { buildImageIds, type Series } from '@pacskit/sdk';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { usePacsContext } from '../provider/pacsContext.js';
import { usePacsClient } from '../provider/usePacs.js';
import { pacsQueryKeys } from './pacsQueryKeys.js';
import { useSeries } from './useSeries.js';

/**
 * The series of a study as the viewer wants them: Cornerstone image IDs (the client's own
 * `imageIdsForSeries`, else the SDK's `buildImageIds` over `<PacsProvider imageIds>`), plus WADO-RS
 * metadata for `wadors:` IDs, which the loader needs before it can fetch frames. Fails with
 * `NOT_SUPPORTED` when neither is available.
 */
export function useViewerSeries(
  studyInstanceUID: string | undefined,
): UseQueryResult<ViewerSeries[], PacsError> {
  const client = usePacsClient();
  const { imageIds } = usePacsContext('useViewerSeries');
  const series = useSeries(studyInstanceUID);
  return useQuery({
    queryKey: [
      ...pacsQueryKeys.imageIds(client.id, studyInstanceUID ?? '', '*'),
      imageIds,
      series.dataUpdatedAt,
    ],
    queryFn: async ({ signal }) => {
      if (series.error) throw series.error;
      const imageIdsForSeries =
        client.imageIdsForSeries?.bind(client) ??
        (imageIds
          ? ({ series: item, signal: itemSignal }: { series: Series; signal?: AbortSignal }) =>
              buildImageIds({
                baseUrl: imageIds.baseUrl,
                scheme: imageIds.scheme ?? 'wadors',
                ...(imageIds.wadoUriUrl ? { wadoUriUrl: imageIds.wadoUriUrl } : {}),
                adapter: client,
                studyInstanceUID: item.StudyInstanceUID,
                seriesInstanceUID: item.SeriesInstanceUID,
                ...(itemSignal ? { signal: itemSignal } : {}),
              })
          : undefined);
      if (!imageIdsForSeries) {
        throw new PacsError('NOT_SUPPORTED', 'this client cannot build image IDs', { source: client.id });
      }
      return Promise.all(
        (series.data ?? []).map(async (item): Promise<ViewerSeries> => {
          const ids = await imageIdsForSeries({ series: item, signal });
          const needsMetadata = ids.some((imageId) => imageId.startsWith('wadors:'));
          const metadata = needsMetadata
            ? await client.retrieveSeriesMetadata({
                studyInstanceUID: item.StudyInstanceUID,
                seriesInstanceUID: item.SeriesInstanceUID,
                signal,
              })
            : undefined;
          return {
            seriesInstanceUID: item.SeriesInstanceUID,
            imageIds: ids,
            ...(item.SeriesDescription ? { description: item.SeriesDescription } : {}),
            ...(item.Modality ? { modality: item.Modality } : {}),
            ...(metadata ? { metadata } : {}),
          };
        }),
      );
    },
    enabled: Boolean(studyInstanceUID) && (series.isSuccess || series.isError),
    retry: false,
  });
}
