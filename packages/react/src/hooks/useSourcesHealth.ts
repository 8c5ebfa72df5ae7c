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
 * Health of every source: the SDK federated client's `health({ probe: true })` (circuit state,
 * mean latency, last error code) when the client federates, otherwise an `echo()` of the single
 * adapter. The federated client's `sourceDown`/`sourceUp` events trigger a re-check.
 */
export function useSourcesHealth(
  options: UseSourcesHealthOptions = {},
): UseQueryResult<readonly PacsSourceStatus[], PacsError> {
  const client = usePacsClient();
  const queryClient = useQueryClient();
  const clientId = client.id;
  useEffect(() => {
    if (!client.on) return;
    const refresh = () =>
      void queryClient.invalidateQueries({ queryKey: pacsQueryKeys.sourcesHealth(clientId) });
    const offDown = client.on('sourceDown', refresh);
    const offUp = client.on('sourceUp', refresh);
    return () => {
      offDown();
      offUp();
    };
  }, [client, clientId, queryClient]);
  return useQuery({
    queryKey: pacsQueryKeys.sourcesHealth(clientId),
    queryFn: async ({ signal }): Promise<readonly PacsSourceStatus[]> => {
      if (client.health) {
        const health = await client.health({ probe: true, signal });
        return health.sources.map((source) => ({
          id: source.sourceId,
          state: source.up ? 'up' : 'down',
          ...(source.latencyMeanMs === undefined ? {} : { latencyMs: source.latencyMeanMs }),
          ...(source.lastErrorCode === undefined ? {} : { errorCode: source.lastErrorCode }),
        }));
      }
      try {
        const echo = await client.echo({ signal });
        return [{ id: clientId, state: 'up', latencyMs: echo.latencyMs }];
      } catch (error) {
        // A failed echo is a result to show (the source is down), not an error of the panel.
        return [{ id: clientId, state: 'down', errorCode: isPacsError(error) ? error.code : 'INTERNAL' }];
      }
    },
    ...(options.refetchInterval ? { refetchInterval: options.refetchInterval } : {}),
    staleTime: 0,
  });
}
