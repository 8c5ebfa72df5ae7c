import { isPacsError, type PacsError } from '@pacskit/dicom';
import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PacsSourceStatus } from '../provider/pacsClient.js';
import { usePacsClient } from '../provider/usePacs.js';
import { pacsQueryKeys } from './pacsQueryKeys.js';

export interface UseSourcesHealthOptions {
  /** Re-check every so many milliseconds (default: only on mount, on events and on demand). */
  refetchInterval?: number;
}

/**
 * Health of every source: the federated client's `health()` when it has one, otherwise a C-ECHO-like
 * `echo()` of the single adapter. Health events from the client's `subscribe` trigger a re-check.
 */
export function useSourcesHealth(
  options: UseSourcesHealthOptions = {},
): UseQueryResult<readonly PacsSourceStatus[], PacsError> {
  const client = usePacsClient();
  const queryClient = useQueryClient();
  const queryKey = pacsQueryKeys.sourcesHealth(client.id);
  useEffect(() => {
    if (!client.subscribe) return;
    return client.subscribe(() => void queryClient.invalidateQueries({ queryKey }));
  }, [client, queryClient, queryKey]);
  return useQuery({
    queryKey,
    queryFn: async ({ signal }): Promise<readonly PacsSourceStatus[]> => {
      if (client.health) return client.health({ signal });
      const checkedAt = new Date().toISOString();
      try {
        const echo = await client.echo({ signal });
        return [{ id: client.id, state: 'up', latencyMs: echo.latencyMs, checkedAt }];
      } catch (error) {
        // A failed echo is a result to show (the source is down), not an error of the panel.
        return [
          {
            id: client.id,
            state: 'down',
            errorCode: isPacsError(error) ? error.code : 'INTERNAL',
            checkedAt,
          },
        ];
      }
    },
    ...(options.refetchInterval ? { refetchInterval: options.refetchInterval } : {}),
    staleTime: 0,
  });
}
