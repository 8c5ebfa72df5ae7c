import type { PacsError } from '@pacskit/dicom';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { WorkflowOrder, WorkflowPage } from './pacsWorkflowClient.js';
import { requireWorkflowGroup, useWorkflowClient } from './useWorkflowClient.js';
import { workflowQueryKeys } from './workflowQueryKeys.js';

export interface WorklistQuery {
  modality?: string;
  limit?: number;
  /** Re-fetch every so many milliseconds (a worklist changes as patients arrive). */
  refetchInterval?: number;
}

/** Active orders to perform or read: the worklist endpoint when present, else active orders. */
export function useWorklist(
  query: WorklistQuery = {},
): UseQueryResult<WorkflowPage<WorkflowOrder>, PacsError> {
  const workflow = useWorkflowClient();
  const { refetchInterval, ...request } = query;
  return useQuery({
    queryKey: workflowQueryKeys.worklist(request),
    queryFn: ({ signal }) =>
      workflow?.worklist
        ? workflow.worklist.list({ ...request, signal })
        : requireWorkflowGroup(workflow, 'orders').list({ ...request, signal }),
    ...(refetchInterval ? { refetchInterval } : {}),
  });
}
