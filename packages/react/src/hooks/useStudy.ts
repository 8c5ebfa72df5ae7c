import { PacsError } from '@pacskit/dicom';
import type { Study } from '@pacskit/sdk';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { usePacsClient } from '../provider/usePacs.js';
import { pacsQueryKeys } from './pacsQueryKeys.js';

/** One study by Study Instance UID (QIDO-RS); fails with `NOT_FOUND` when no source holds it. */
export function useStudy(studyInstanceUID: string | undefined): UseQueryResult<Study, PacsError> {
  const client = usePacsClient();
  return useQuery({
    queryKey: pacsQueryKeys.study(client.id, studyInstanceUID ?? ''),
    queryFn: async ({ signal }) => {
      const result = await client.searchForStudies({
        query: { StudyInstanceUID: studyInstanceUID! },
        includeField: 'all',
        signal,
      });
      const study = result.items[0];
      if (!study) throw new PacsError('NOT_FOUND', 'study not found', { source: client.id });
      return study;
    },
    enabled: Boolean(studyInstanceUID),
  });
}
