import type { PacsError } from '@pacskit/dicom';
import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { WorkflowReport, WorkflowReportInput, WorkflowReportTemplate } from './pacsWorkflowClient.js';
import { requireWorkflowGroup, useWorkflowClient } from './useWorkflowClient.js';
import { workflowQueryKeys } from './workflowQueryKeys.js';

/** The reports of a study, newest first. */
export function useReports(
  studyInstanceUID: string | undefined,
): UseQueryResult<WorkflowReport[], PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.reports(studyInstanceUID ?? ''),
    queryFn: async ({ signal }) => {
      const page = await requireWorkflowGroup(workflow, 'reports').list({
        studyInstanceUID: studyInstanceUID!,
        signal,
      });
      return [...page.items].sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0));
    },
    enabled: Boolean(studyInstanceUID),
  });
}

/** Report templates, for a modality or all. */
export function useReportTemplates(modality?: string): UseQueryResult<WorkflowReportTemplate[], PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.templates(modality ?? ''),
    queryFn: ({ signal }) =>
      requireWorkflowGroup(workflow, 'templates').list(modality ? { modality, signal } : { signal }),
    staleTime: 5 * 60_000,
  });
}

export type ReportAction =
  | { type: 'save'; studyInstanceUID: string; reportId?: string; content: WorkflowReportInput }
  | { type: 'preliminary'; reportId: string }
  | { type: 'finalize'; reportId: string }
  | { type: 'amend'; reportId: string; content: WorkflowReportInput };

/**
 * Every report change — save a draft (create or update), mark preliminary, sign off (final),
 * add an addendum (amended) — as one mutation; the study's reports are refetched after each.
 */
export function useReportMutation(): UseMutationResult<WorkflowReport, PacsError, ReportAction> {
  const workflow = useWorkflowClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (action) => {
      const reports = requireWorkflowGroup(workflow, 'reports');
      switch (action.type) {
        case 'save':
          return action.reportId
            ? reports.update(action.reportId, action.content)
            : reports.create({ ...action.content, studyInstanceUID: action.studyInstanceUID });
        case 'preliminary':
          if (!reports.markPreliminary) return reports.update(action.reportId, {});
          return reports.markPreliminary(action.reportId);
        case 'finalize':
          return reports.finalize(action.reportId);
        case 'amend':
          return reports.amend(action.reportId, action.content);
        default:
          return action satisfies never;
      }
    },
    onSuccess: (report) =>
      queryClient.invalidateQueries({ queryKey: workflowQueryKeys.reports(report.studyInstanceUID) }),
  });
}
