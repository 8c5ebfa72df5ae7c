import type { PacsError } from '@pacskit/dicom';
import { type QueryKey, type UseMutationResult, useMutation, useQueryClient } from '@tanstack/react-query';
import type { PacsWorkflowClient } from '../workflow/pacsWorkflowClient.js';
import { requireWorkflowGroup, useWorkflowClient } from '../workflow/useWorkflowClient.js';

export interface WorkflowMutationOptions<K extends keyof PacsWorkflowClient, TData, TVariables> {
  /** The workflow client group the mutation calls; `NOT_SUPPORTED` when the host has none. */
  group: K;
  mutationFn: (group: NonNullable<PacsWorkflowClient[K]>, variables: TVariables) => Promise<TData>;
  /** The query keys (prefixes) refetched after success; the mutation settles once they are invalidated. */
  invalidates: (data: TData, variables: TVariables) => readonly QueryKey[];
}

/** A workflow mutation over one client group that invalidates the reads it changes. */
export function useWorkflowMutation<K extends keyof PacsWorkflowClient, TData, TVariables>({
  group,
  mutationFn,
  invalidates,
}: WorkflowMutationOptions<K, TData, TVariables>): UseMutationResult<TData, PacsError, TVariables> {
  const workflow = useWorkflowClient();
  const queryClient = useQueryClient();
  return useMutation<TData, PacsError, TVariables>({
    mutationFn: (variables) => mutationFn(requireWorkflowGroup(workflow, group), variables),
    onSuccess: (data, variables) =>
      Promise.all(
        invalidates(data, variables).map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      ),
  });
}
