import { useReportMutation, useReports } from '@pacskit/react';
import { type FormEvent, useState } from 'react';

export interface ReportPanelProps {
  studyInstanceUID: string;
  /** Referring physicians read reports; radiologists write and sign them. */
  canSign: boolean;
}

/** The study's report: write findings and impression, save a draft, sign it off as final. */
export function ReportPanel({ studyInstanceUID, canSign }: ReportPanelProps) {
  const reports = useReports(studyInstanceUID);
  const mutation = useReportMutation();
  const report = reports.data?.[0];
  const editable = canSign && (!report || report.status === 'draft' || report.status === 'preliminary');
  const [message, setMessage] = useState<string>();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const finalise = (event.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'final';
    const content = {
      findings: String(form.get('findings')),
      impression: String(form.get('impression')),
      patientSummary: String(form.get('patientSummary')),
    };
    const saved = await mutation.mutateAsync({
      type: 'save',
      studyInstanceUID,
      content,
      ...(report ? { reportId: report.id } : {}),
    });
    if (finalise) await mutation.mutateAsync({ type: 'finalize', reportId: saved.id });
    setMessage(finalise ? 'Report signed: final.' : 'Draft saved.');
  };

  return (
    <section className="portal-report" aria-label="Report">
      <h2>
        Report <span data-state={report?.status ?? 'none'}>{report?.status ?? 'not started'}</span>
      </h2>
      {reports.isError ? <p role="alert">{reports.error.message}</p> : null}
      {mutation.isError ? <p role="alert">{mutation.error.message}</p> : null}
      {message ? <p role="status">{message}</p> : null}
      <form onSubmit={submit} key={report?.id ?? 'new'}>
        <label>
          Findings
          <textarea name="findings" rows={4} defaultValue={report?.findings} readOnly={!editable} />
        </label>
        <label>
          Impression
          <textarea name="impression" rows={2} defaultValue={report?.impression} readOnly={!editable} />
        </label>
        <label>
          Summary for the patient
          <textarea
            name="patientSummary"
            rows={2}
            defaultValue={report?.patientSummary}
            readOnly={!editable}
          />
        </label>
        {editable ? (
          <div className="portal-actions">
            <button type="submit" value="draft" disabled={mutation.isPending}>
              Save draft
            </button>
            <button type="submit" value="final" disabled={mutation.isPending}>
              Sign as final
            </button>
          </div>
        ) : null}
      </form>
    </section>
  );
}
