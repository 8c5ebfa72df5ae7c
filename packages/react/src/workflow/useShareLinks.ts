import type { PacsError } from '@pacskit/dicom';
import type { ArchiveShareLink, CreatedShareLink } from '@pacskit/sdk';
import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import { requireWorkflowGroup, useWorkflowClient } from './useWorkflowClient.js';
import { workflowQueryKeys } from './workflowQueryKeys.js';

/** Expiring share links of a study. */
export function useShareLinks(
  studyInstanceUID: string | undefined,
): UseQueryResult<ArchiveShareLink[], PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.shareLinks(studyInstanceUID ?? ''),
    queryFn: ({ signal }) =>
      requireWorkflowGroup(workflow, 'shareLinks').list({ studyInstanceUID: studyInstanceUID!, signal }),
    enabled: Boolean(studyInstanceUID),
  });
}

export interface CreateShareLinkVariables {
  studyInstanceUID: string;
  expiresInSeconds: number;
  allowDownload?: boolean;
  password?: string;
}

/** Creates an expiring link; the answer carries the secret token (and URL) once, never stored. */
export function useCreateShareLink(): UseMutationResult<
  CreatedShareLink,
  PacsError,
  CreateShareLinkVariables
> {
  const workflow = useWorkflowClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input) => requireWorkflowGroup(workflow, 'shareLinks').create(input),
    onSuccess: (link) =>
      queryClient.invalidateQueries({ queryKey: workflowQueryKeys.shareLinks(link.studyInstanceUID) }),
  });
}

export function useRevokeShareLink(): UseMutationResult<
  void,
  PacsError,
  { id: string; studyInstanceUID: string }
> {
  const workflow = useWorkflowClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id }) => requireWorkflowGroup(workflow, 'shareLinks').revoke(id),
    onSuccess: (_result, { studyInstanceUID }) =>
      queryClient.invalidateQueries({ queryKey: workflowQueryKeys.shareLinks(studyInstanceUID) }),
  });
}
