import type { PacsError } from '@pacskit/dicom';
import type { SearchResult, Study } from '@pacskit/sdk';
import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { usePacsClient } from '../provider/usePacs.js';
import { pacsQueryKeys } from './pacsQueryKeys.js';
import { type StudySearchQuery, toStudyQueryKeys } from './studySearchQuery.js';

export interface UseStudySearchOptions {
  /** Don't search yet (e.g. until the user submits). */
  enabled?: boolean;
}

const studyListFields = ['StudyDescription', 'PatientBirthDate', 'PatientSex'] as const;

/** QIDO-RS study search; keeps the previous results on screen while a new search runs. */
export function useStudySearch(
  query: StudySearchQuery,
  options: UseStudySearchOptions = {},
): UseQueryResult<SearchResult<Study>, PacsError> {
  const client = usePacsClient();
  return useQuery({
    queryKey: pacsQueryKeys.studySearch(client.id, query),
    queryFn: async ({ signal }) => {
      const result = await client.searchForStudies({
        query: toStudyQueryKeys(query),
        // The study list shows these; PS3.18 Table 6.7.1-2 does not return them by default.
        includeField: studyListFields,
        ...(query.limit === undefined ? {} : { limit: query.limit }),
        ...(query.offset === undefined ? {} : { offset: query.offset }),
        signal,
      });
      if (!query.sourceId) return result;
      return { ...result, items: result.items.filter((study) => study.sources.includes(query.sourceId!)) };
    },
    enabled: options.enabled ?? true,
    placeholderData: keepPreviousData,
  });
}
