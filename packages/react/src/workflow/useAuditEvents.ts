import type { PacsError } from '@pacskit/dicom';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { WorkflowAuditEvent, WorkflowPage } from './pacsWorkflowClient.js';
import { requireWorkflowGroup, useWorkflowClient } from './useWorkflowClient.js';
import { workflowQueryKeys } from './workflowQueryKeys.js';

export interface AuditEventsQuery {
  patientId?: string;
  limit?: number;
}

/** The audit trail (who accessed what), e.g. for a patient's "who saw my images" page. */
export function useAuditEvents(
  query: AuditEventsQuery = {},
): UseQueryResult<WorkflowPage<WorkflowAuditEvent>, PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.auditEvents(query),
    queryFn: ({ signal }) => requireWorkflowGroup(workflow, 'audit').list({ ...query, signal }),
  });
}
