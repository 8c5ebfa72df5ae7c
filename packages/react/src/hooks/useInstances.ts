import type { PacsError } from '@pacskit/dicom';
import type { Instance } from '@pacskit/sdk';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { usePacsClient } from '../provider/usePacs.js';
import { pacsQueryKeys } from './pacsQueryKeys.js';

/** The instances of a series (QIDO-RS), ordered by Instance Number. */
export function useInstances(
  studyInstanceUID: string | undefined,
  seriesInstanceUID: string | undefined,
): UseQueryResult<Instance[], PacsError> {
  const client = usePacsClient();
  return useQuery({
    queryKey: pacsQueryKeys.instances(client.id, studyInstanceUID ?? '', seriesInstanceUID ?? ''),
    queryFn: async ({ signal }) => {
      const result = await client.searchForInstances({
        studyInstanceUID: studyInstanceUID!,
        seriesInstanceUID: seriesInstanceUID!,
        signal,
      });
      return [...result.items].sort((a, b) => (a.InstanceNumber ?? 0) - (b.InstanceNumber ?? 0));
    },
    enabled: Boolean(studyInstanceUID && seriesInstanceUID),
  });
}
