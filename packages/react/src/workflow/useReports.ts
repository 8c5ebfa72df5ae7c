import type { PacsError } from '@pacskit/dicom';
import type { Report, ReportContentInput, ReportTemplate } from '@pacskit/sdk';
import { type UseMutationResult, type UseQueryResult, useQuery } from '@tanstack/react-query';
import { useWorkflowMutation } from '../internal/useWorkflowMutation.js';
import { requireWorkflowGroup, useWorkflowClient } from './useWorkflowClient.js';
import { workflowQueryKeys } from './workflowQueryKeys.js';

/** The reports of a study, the most recently changed first. */
export function useReports(studyInstanceUID: string | undefined): UseQueryResult<Report[], PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.reports(studyInstanceUID ?? ''),
    queryFn: async ({ signal }) => {
      const reports = await requireWorkflowGroup(workflow, 'reports').list({
        studyInstanceUID: studyInstanceUID!,
        signal,
      });
      return [...reports].sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
    },
    enabled: Boolean(studyInstanceUID),
  });
}

/** Report templates, for a modality or all. */
export function useReportTemplates(modality?: string): UseQueryResult<ReportTemplate[], PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.templates(modality ?? ''),
    queryFn: ({ signal }) =>
      requireWorkflowGroup(workflow, 'templates').list(modality ? { modality, signal } : { signal }),
    staleTime: 5 * 60_000,
  });
}

export type ReportAction =
  | {
      type: 'save';
      studyInstanceUID: string;
      reportId?: string;
      templateId?: string;
      content: ReportContentInput;
    }
  | { type: 'sign'; reportId: string; status: 'preliminary' | 'final' }
  | { type: 'amend'; reportId: string; content: ReportContentInput & { addendum: string } };

/**
 * Every report change — save a draft (create or update), sign as preliminary or final, amend with
 * an addendum — as one mutation; the study's reports are refetched after each.
 */
export function useReportMutation(): UseMutationResult<Report, PacsError, ReportAction> {
  return useWorkflowMutation({
    group: 'reports',
    mutationFn: async (reports, action: ReportAction) => {
      switch (action.type) {
        case 'save':
          return action.reportId
            ? reports.update(action.reportId, action.content)
            : reports.create({
                ...action.content,
                studyInstanceUID: action.studyInstanceUID,
                ...(action.templateId ? { templateId: action.templateId } : {}),
              });
        case 'sign':
          return reports.sign(action.reportId, action.status);
        case 'amend':
          return reports.amend(action.reportId, action.content);
        default:
          return action satisfies never;
      }
    },
    invalidates: (report) => [workflowQueryKeys.reports(report.studyInstanceUID)],
  });
}
