import type { Report, ReportContentInput } from '@pacskit/sdk';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { ErrorState, LoadingState } from '../common/StatusMessage.js';
import { labelFor } from '../internal/labelFor.js';
import { usePacsI18n, usePacsScope } from '../provider/usePacs.js';
import { useReportMutation, useReportTemplates, useReports } from './useReports.js';

export interface ReportEditorProps {
  studyInstanceUID: string;
  /** Offer the templates of this modality (and the general ones). */
  modality?: string;
  onSigned?: (report: Report) => void;
  className?: string;
}

interface Draft {
  findings: string;
  impression: string;
  patientSummary: string;
  addendum: string;
}

/** Runs a chain of mutations from a click; a failure is already shown through `mutation.error`. */
function quietly(run: () => Promise<unknown>): void {
  run().catch(() => {});
}

function draftOf(report: Report | undefined): Draft {
  return {
    findings: report?.findings ?? '',
    impression: report?.impression ?? '',
    patientSummary: report?.patientSummary ?? '',
    addendum: report?.addendum ?? '',
  };
}

/**
 * The radiologist's report for a study: start from a template, write findings, impression and the
 * plain-language patient summary, save as draft, mark preliminary, sign off (final); after signing
 * only an addendum can be added (amended).
 */
export function ReportEditor({ studyInstanceUID, modality, onSigned, className }: ReportEditorProps) {
  const { t } = usePacsI18n();
  const scope = usePacsScope(className ? `pacs-card ${className}` : 'pacs-card');
  const reports = useReports(studyInstanceUID);
  const id = useId();
  return (
    <section {...scope} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="pacs-heading">
        {t('reports.label')}
      </h3>
      {reports.isPending ? (
        <LoadingState />
      ) : reports.isError ? (
        <ErrorState error={reports.error} onRetry={() => void reports.refetch()} />
      ) : (
        <ReportForm
          key={reports.data[0]?.id ?? 'new'}
          report={reports.data[0]}
          studyInstanceUID={studyInstanceUID}
          {...(modality ? { modality } : {})}
          {...(onSigned ? { onSigned } : {})}
        />
      )}
    </section>
  );
}

function ReportForm({
  report,
  studyInstanceUID,
  modality,
  onSigned,
}: {
  report: Report | undefined;
  studyInstanceUID: string;
  modality?: string;
  onSigned?: (report: Report) => void;
}) {
  const { t, messages } = usePacsI18n();
  const id = useId();
  const mutation = useReportMutation();
  const templates = useReportTemplates(modality);
  const [draft, setDraft] = useState<Draft>(() => draftOf(report));
  const [templateId, setTemplateId] = useState('');
  useEffect(() => setDraft(draftOf(report)), [report]);
  const status = report?.status ?? 'draft';
  const signed = status === 'final' || status === 'amended';
  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  const content: ReportContentInput = {
    findings: draft.findings,
    impression: draft.impression,
    patientSummary: draft.patientSummary,
  };
  function field(key: keyof Draft, label: string, rows: number, disabled: boolean): ReactNode {
    return (
      <div className="pacs-field">
        <label htmlFor={`${id}-${key}`} className="pacs-field-label">
          {label}
        </label>
        <textarea
          id={`${id}-${key}`}
          className="pacs-input"
          rows={rows}
          value={draft[key]}
          readOnly={disabled}
          onChange={(event) => set({ [key]: event.target.value })}
        />
      </div>
    );
  }
  const save = async () => {
    const saved = await mutation.mutateAsync({
      type: 'save',
      studyInstanceUID,
      ...(report ? { reportId: report.id } : {}),
      ...(templateId ? { templateId } : {}),
      content,
    });
    return saved;
  };
  return (
    <div className="pacs-stack" data-state={status}>
      <p role="status" className="pacs-muted">
        {t('reports.status', { status: labelFor(t, messages, 'reportStatus', status) })}
        {report?.signedBy ? ` · ${t('reports.signedBy', { name: report.signedBy })}` : ''}
      </p>
      {signed ? null : (
        <div className="pacs-actions">
          <div className="pacs-field">
            <label htmlFor={`${id}-template`} className="pacs-field-label">
              {t('reports.template')}
            </label>
            <select
              id={`${id}-template`}
              className="pacs-input"
              value={templateId}
              onChange={(event) => setTemplateId(event.target.value)}
            >
              <option value="">{t('reports.noTemplate')}</option>
              {(templates.data ?? []).map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            className="pacs-button"
            data-variant="secondary"
            disabled={!templateId}
            onClick={() => {
              const template = templates.data?.find((candidate) => candidate.id === templateId);
              if (template) set({ findings: template.findings, impression: template.impression });
            }}
          >
            {t('reports.applyTemplate')}
          </button>
        </div>
      )}
      {field('findings', t('reports.findings'), 6, signed)}
      {field('impression', t('reports.impression'), 3, signed)}
      {field('patientSummary', t('reports.patientSummary'), 3, signed)}
      {signed ? field('addendum', t('reports.addendum'), 3, false) : null}
      <div className="pacs-actions">
        {signed ? (
          <button
            type="button"
            className="pacs-button"
            disabled={
              mutation.isPending || !draft.addendum.trim() || draft.addendum === (report?.addendum ?? '')
            }
            onClick={() =>
              mutation.mutate({ type: 'amend', reportId: report!.id, content: { addendum: draft.addendum } })
            }
          >
            {t('reports.addendum')}
          </button>
        ) : (
          <>
            <button
              type="button"
              className="pacs-button"
              data-variant="secondary"
              disabled={mutation.isPending}
              onClick={() => quietly(save)}
            >
              {t('reports.saveDraft')}
            </button>
            {status === 'draft' ? (
              <button
                type="button"
                className="pacs-button"
                data-variant="secondary"
                disabled={mutation.isPending}
                onClick={() =>
                  quietly(async () => {
                    const saved = await save();
                    await mutation.mutateAsync({ type: 'sign', reportId: saved.id, status: 'preliminary' });
                  })
                }
              >
                {t('reports.preliminary')}
              </button>
            ) : null}
            <button
              type="button"
              className="pacs-button"
              disabled={mutation.isPending || !draft.findings.trim() || !draft.impression.trim()}
              onClick={() =>
                quietly(async () => {
                  const saved = await save();
                  const final = await mutation.mutateAsync({
                    type: 'sign',
                    reportId: saved.id,
                    status: 'final',
                  });
                  onSigned?.(final);
                })
              }
            >
              {t('reports.signOff')}
            </button>
          </>
        )}
      </div>
      {mutation.isError ? <ErrorState error={mutation.error} onRetry={() => mutation.reset()} /> : null}
    </div>
  );
}
