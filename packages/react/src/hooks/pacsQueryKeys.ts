import type { StudySearchQuery } from './studySearchQuery.js';

/**
 * Query keys of every PACS read, hierarchical so one `invalidateQueries({ queryKey: prefix })`
 * refreshes a study and everything under it. The client id is part of the key so two providers
 * (or a switched client) never share cached results.
 */
export const pacsQueryKeys = {
  all: (clientId: string) => ['pacskit', clientId] as const,
  studies: (clientId: string) => ['pacskit', clientId, 'studies'] as const,
  studySearch: (clientId: string, query: StudySearchQuery) =>
    ['pacskit', clientId, 'studies', 'search', query] as const,
  study: (clientId: string, studyInstanceUID: string) =>
    ['pacskit', clientId, 'studies', 'uid', studyInstanceUID] as const,
  series: (clientId: string, studyInstanceUID: string) =>
    ['pacskit', clientId, 'studies', 'uid', studyInstanceUID, 'series'] as const,
  instances: (clientId: string, studyInstanceUID: string, seriesInstanceUID: string) =>
    [
      'pacskit',
      clientId,
      'studies',
      'uid',
      studyInstanceUID,
      'series',
      seriesInstanceUID,
      'instances',
    ] as const,
  thumbnail: (
    clientId: string,
    uids: { studyInstanceUID: string; seriesInstanceUID?: string; sopInstanceUID?: string },
  ) =>
    [
      'pacskit',
      clientId,
      'thumbnail',
      uids.studyInstanceUID,
      uids.seriesInstanceUID ?? '',
      uids.sopInstanceUID ?? '',
    ] as const,
  imageIds: (clientId: string, studyInstanceUID: string, seriesInstanceUID: string) =>
    ['pacskit', clientId, 'imageIds', studyInstanceUID, seriesInstanceUID] as const,
  sourcesHealth: (clientId: string) => ['pacskit', clientId, 'sources', 'health'] as const,
};
