import { PacsError } from '@pacskit/dicom';
import type { ViewerSeries } from '@pacskit/viewer';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { usePacsClient } from '../provider/usePacs.js';
import { pacsQueryKeys } from './pacsQueryKeys.js';
import { useSeries } from './useSeries.js';

/**
 * The series of a study as the viewer wants them: Cornerstone image IDs (from the client's
 * `imageIdsForSeries`), plus WADO-RS metadata for `wadors:` IDs, which the loader needs before it
 * can fetch frames. Fails with `NOT_SUPPORTED` when the client cannot build image IDs.
 */
export function useViewerSeries(
  studyInstanceUID: string | undefined,
): UseQueryResult<ViewerSeries[], PacsError> {
  const client = usePacsClient();
  const series = useSeries(studyInstanceUID);
  return useQuery({
    queryKey: [...pacsQueryKeys.imageIds(client.id, studyInstanceUID ?? '', '*'), series.dataUpdatedAt],
    queryFn: async ({ signal }) => {
      if (series.error) throw series.error;
      const imageIdsForSeries = client.imageIdsForSeries;
      if (!imageIdsForSeries) {
        throw new PacsError('NOT_SUPPORTED', 'this client cannot build image IDs', { source: client.id });
      }
      return Promise.all(
        (series.data ?? []).map(async (item): Promise<ViewerSeries> => {
          const imageIds = await imageIdsForSeries.call(client, { series: item, signal });
          const needsMetadata = imageIds.some((imageId) => imageId.startsWith('wadors:'));
          const metadata = needsMetadata
            ? await client.retrieveSeriesMetadata({
                studyInstanceUID: item.StudyInstanceUID,
                seriesInstanceUID: item.SeriesInstanceUID,
                signal,
              })
            : undefined;
          return {
            seriesInstanceUID: item.SeriesInstanceUID,
            imageIds,
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
