import type { PacsError } from '@pacskit/dicom';
import type { Order } from '@pacskit/sdk';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { requireWorkflowGroup, useWorkflowClient } from './useWorkflowClient.js';
import { workflowQueryKeys } from './workflowQueryKeys.js';

export interface WorklistQuery {
  modality?: string;
  limit?: number;
  /** Re-fetch every so many milliseconds (a worklist changes as patients arrive). */
  refetchInterval?: number;
}

/** Orders waiting to be performed (the archive's modality worklist). */
export function useWorklist(query: WorklistQuery = {}): UseQueryResult<Order[], PacsError> {
  const workflow = useWorkflowClient();
  const { refetchInterval, ...request } = query;
  return useQuery({
    queryKey: workflowQueryKeys.worklist(request),
    queryFn: ({ signal }) => requireWorkflowGroup(workflow, 'worklist').list({ ...request, signal }),
    ...(refetchInterval ? { refetchInterval } : {}),
  });
}
