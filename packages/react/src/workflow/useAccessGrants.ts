import type { PacsError } from '@pacskit/dicom';
import type { AccessGrant } from '@pacskit/sdk';
import { type UseMutationResult, type UseQueryResult, useQuery } from '@tanstack/react-query';
import { useWorkflowMutation } from '../internal/useWorkflowMutation.js';
import { requireWorkflowGroup, useWorkflowClient } from './useWorkflowClient.js';
import { workflowQueryKeys } from './workflowQueryKeys.js';

export interface AccessGrantsQuery {
  granteeUserId?: string;
  patientId?: string;
}

/** Consent-based access grants (who may see which studies, view or download). */
export function useAccessGrants(query: AccessGrantsQuery = {}): UseQueryResult<AccessGrant[], PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.accessGrants(query),
    queryFn: ({ signal }) => requireWorkflowGroup(workflow, 'accessGrants').list({ ...query, signal }),
  });
}

export function useRevokeAccessGrant(): UseMutationResult<void, PacsError, { id: string }> {
  return useWorkflowMutation({
    group: 'accessGrants',
    mutationFn: (accessGrants, { id }: { id: string }) => accessGrants.revoke(id),
    invalidates: () => [workflowQueryKeys.accessGrantsAll],
  });
}
