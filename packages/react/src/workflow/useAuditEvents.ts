import type { PacsError } from '@pacskit/dicom';
import type { AuditQuery, AuditRecord } from '@pacskit/sdk';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { requireWorkflowGroup, useWorkflowClient } from './useWorkflowClient.js';
import { workflowQueryKeys } from './workflowQueryKeys.js';

/** The audit trail (who accessed what), e.g. for a patient's "who saw my images" page. */
export function useAuditEvents(query: AuditQuery = {}): UseQueryResult<AuditRecord[], PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.auditEvents(query),
    queryFn: ({ signal }) => requireWorkflowGroup(workflow, 'audit').list({ ...query, signal }),
  });
}
