import type { PacsError } from '@pacskit/dicom';
import type { Series } from '@pacskit/sdk';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { usePacsClient } from '../provider/usePacs.js';
import { pacsQueryKeys } from './pacsQueryKeys.js';

/** The series of a study (QIDO-RS), ordered by Series Number. */
export function useSeries(studyInstanceUID: string | undefined): UseQueryResult<Series[], PacsError> {
  const client = usePacsClient();
  return useQuery({
    queryKey: pacsQueryKeys.series(client.id, studyInstanceUID ?? ''),
    queryFn: async ({ signal }) => {
      const result = await client.searchForSeries({ studyInstanceUID: studyInstanceUID!, signal });
      return [...result.items].sort((a, b) => (a.SeriesNumber ?? 0) - (b.SeriesNumber ?? 0));
    },
    enabled: Boolean(studyInstanceUID),
  });
}
