import type { PacsWorkflowClient, WorkflowReport, WorkflowShareLink } from '@pacskit/react';
import type { ArchiveShareLink, Report, WorkflowClient } from '@pacskit/sdk';

function epoch(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && value !== '' ? Date.parse(value) : undefined;
}

function toReport(report: Report): WorkflowReport {
  const extra = report as Report & {
    releaseAt?: string | number;
    updatedAt?: string | number;
    signedAt?: unknown;
  };
  const releaseAt = epoch(extra.releaseAt);
  const signedAt = epoch(extra.signedAt);
  const updatedAt = epoch(extra.updatedAt);
  return {
    ...report,
    ...(releaseAt === undefined ? {} : { releaseAt }),
    ...(signedAt === undefined ? {} : { signedAt }),
    ...(updatedAt === undefined ? {} : { updatedAt }),
  } as WorkflowReport;
}

function toShareLink(link: ArchiveShareLink & { url?: string }): WorkflowShareLink {
  const revokedAt = epoch(link.revokedAt);
  return {
    id: link.id,
    studyInstanceUID: link.studyInstanceUID,
    allowDownload: link.allowDownload,
    expiresAt: epoch(link.expiresAt) ?? 0,
    ...(revokedAt === undefined ? {} : { revokedAt }),
    ...(link.url ? { url: link.url } : {}),
  };
}

/**
 * Workaround: @pacskit/react's structural workflow client and the SDK's `WorkflowClient` do not
 * agree yet (pages vs arrays, `finalize` vs `sign`, epoch ms vs ISO instants). This maps the few
 * groups the portal's components use. Remove once `<PacsProvider workflow={adapter.workflow}>`
 * works as it is.
 */
export function toPacsWorkflowClient(workflow: WorkflowClient): PacsWorkflowClient {
  return {
    reports: {
      list: async (query) => ({
        items: (
          await workflow.reports.list({
            studyInstanceUID: query?.studyInstanceUID ?? '',
            ...(query?.signal ? { signal: query.signal } : {}),
          })
        ).map(toReport),
      }),
      create: async (input) => toReport(await workflow.reports.create(input)),
      update: async (id, patch) => toReport(await workflow.reports.update(id, patch)),
      markPreliminary: async (id) => toReport(await workflow.reports.sign(id, 'preliminary')),
      finalize: async (id) => toReport(await workflow.reports.sign(id, 'final')),
      amend: async (id, patch) =>
        toReport(await workflow.reports.amend(id, { ...patch, addendum: patch.addendum ?? '' })),
    },
    accessGrants: {
      list: async (query) =>
        (await workflow.accessGrants.list(query)).map((grant) => ({
          ...grant,
          expiresAt: epoch(grant.expiresAt),
          revokedAt: epoch(grant.revokedAt),
        })) as Awaited<ReturnType<NonNullable<PacsWorkflowClient['accessGrants']>['list']>>,
      revoke: (id) => workflow.accessGrants.revoke(id),
    },
    shareLinks: {
      list: async (query) => (await workflow.shareLinks.list(query)).map(toShareLink),
      create: async (input) =>
        toShareLink(
          await workflow.shareLinks.create({
            studyInstanceUID: input.studyInstanceUID,
            expiresInSeconds: Math.max(60, Math.round((input.expiresAt - Date.now()) / 1000)),
            allowDownload: input.allowDownload ?? false,
          }),
        ),
      revoke: (id) => workflow.shareLinks.revoke(id),
    },
  };
}
