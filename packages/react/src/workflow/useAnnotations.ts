import type { PacsError } from '@pacskit/dicom';
import type { Annotation, SaveAnnotationInput } from '@pacskit/sdk';
import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import { requireWorkflowGroup, useWorkflowClient } from './useWorkflowClient.js';
import { workflowQueryKeys } from './workflowQueryKeys.js';

/** Saved annotations (measurements) of a study, for the viewer. */
export function useAnnotations(
  studyInstanceUID: string | undefined,
): UseQueryResult<Annotation[], PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.annotations(studyInstanceUID ?? ''),
    queryFn: ({ signal }) =>
      requireWorkflowGroup(workflow, 'annotations').list({ studyInstanceUID: studyInstanceUID!, signal }),
    enabled: Boolean(studyInstanceUID),
  });
}

/** Creates an annotation, or updates it when `id` is given. */
export function useSaveAnnotation(): UseMutationResult<Annotation, PacsError, SaveAnnotationInput> {
  const workflow = useWorkflowClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input) => requireWorkflowGroup(workflow, 'annotations').save(input),
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
