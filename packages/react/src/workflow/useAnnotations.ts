import type { PacsError } from '@pacskit/dicom';
import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { WorkflowAnnotation } from './pacsWorkflowClient.js';
import { requireWorkflowGroup, useWorkflowClient } from './useWorkflowClient.js';
import { workflowQueryKeys } from './workflowQueryKeys.js';

/** Saved annotations (measurements) of a study, for the viewer's `annotations` prop. */
export function useAnnotations(
  studyInstanceUID: string | undefined,
): UseQueryResult<WorkflowAnnotation[], PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.annotations(studyInstanceUID ?? ''),
    queryFn: ({ signal }) =>
      requireWorkflowGroup(workflow, 'annotations').list({ studyInstanceUID: studyInstanceUID!, signal }),
    enabled: Boolean(studyInstanceUID),
  });
}

export function useCreateAnnotation(): UseMutationResult<
  WorkflowAnnotation,
  PacsError,
  Omit<WorkflowAnnotation, 'id'>
> {
  const workflow = useWorkflowClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input) => requireWorkflowGroup(workflow, 'annotations').create(input),
    onSuccess: (annotation) =>
      queryClient.invalidateQueries({ queryKey: workflowQueryKeys.annotations(annotation.studyInstanceUID) }),
  });
}

export function useDeleteAnnotation(): UseMutationResult<
  void,
  PacsError,
  { id: string; studyInstanceUID: string }
> {
  const workflow = useWorkflowClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id }) => requireWorkflowGroup(workflow, 'annotations').delete(id),
    onSuccess: (_result, { studyInstanceUID }) =>
      queryClient.invalidateQueries({ queryKey: workflowQueryKeys.annotations(studyInstanceUID) }),
  });
}
