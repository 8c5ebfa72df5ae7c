import type { PacsError } from '@pacskit/dicom';
import type { Annotation, SaveAnnotationInput } from '@pacskit/sdk';
import { type UseMutationResult, type UseQueryResult, useQuery } from '@tanstack/react-query';
import { useWorkflowMutation } from '../internal/useWorkflowMutation.js';
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
  return useWorkflowMutation({
    group: 'annotations',
    mutationFn: (annotations, input: SaveAnnotationInput) => annotations.save(input),
    invalidates: (annotation) => [workflowQueryKeys.annotations(annotation.studyInstanceUID)],
  });
}

export function useDeleteAnnotation(): UseMutationResult<
  void,
  PacsError,
  { id: string; studyInstanceUID: string }
> {
  return useWorkflowMutation({
    group: 'annotations',
    mutationFn: (annotations, { id }: { id: string; studyInstanceUID: string }) => annotations.delete(id),
    invalidates: (_result, { studyInstanceUID }) => [workflowQueryKeys.annotations(studyInstanceUID)],
  });
}
