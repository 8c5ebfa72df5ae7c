import type { PacsError } from '@pacskit/dicom';
import type { AccessGrant } from '@pacskit/sdk';
import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
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
  const workflow = useWorkflowClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id }) => requireWorkflowGroup(workflow, 'accessGrants').revoke(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: workflowQueryKeys.accessGrantsAll }),
  });
}
