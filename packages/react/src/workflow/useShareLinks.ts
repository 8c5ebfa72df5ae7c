import type { PacsError } from '@pacskit/dicom';
import type { ArchiveShareLink, CreatedShareLink } from '@pacskit/sdk';
import { type UseMutationResult, type UseQueryResult, useQuery } from '@tanstack/react-query';
import { useWorkflowMutation } from '../internal/useWorkflowMutation.js';
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
  return useWorkflowMutation({
    group: 'shareLinks',
    mutationFn: (shareLinks, input: CreateShareLinkVariables) => shareLinks.create(input),
    invalidates: (link) => [workflowQueryKeys.shareLinks(link.studyInstanceUID)],
  });
}

export function useRevokeShareLink(): UseMutationResult<
  void,
  PacsError,
  { id: string; studyInstanceUID: string }
> {
  return useWorkflowMutation({
    group: 'shareLinks',
    mutationFn: (shareLinks, { id }: { id: string; studyInstanceUID: string }) => shareLinks.revoke(id),
    invalidates: (_result, { studyInstanceUID }) => [workflowQueryKeys.shareLinks(studyInstanceUID)],
  });
}
