import type { Report } from '@pacskit/sdk';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ErrorState, LoadingState } from '../common/StatusMessage.js';
import { useSeries } from '../hooks/useSeries.js';
import { useStudy } from '../hooks/useStudy.js';
import { useViewerSeries } from '../hooks/useViewerSeries.js';
import { usePartContext } from '../internal/createPartContext.js';
import { formatDicomDate } from '../internal/formatDicom.js';
import { usePacsI18n } from '../provider/usePacs.js';
import { LazyDicomViewer } from '../viewer/LazyDicomViewer.js';
import { useReports } from '../workflow/useReports.js';
import { explanationsFor } from './explanations.js';
import { PatientDownload } from './PatientDownload.js';
import { PatientShare } from './PatientShare.js';
import { PatientViewerContext } from './patientViewerContext.js';

/** The open study: explanations, report, images, download and share. */
export function PatientStudyView({ children }: { children?: ReactNode }) {
  const { selected, select } = usePartContext(PatientViewerContext, 'PatientViewer.StudyView');
  const { t, locale } = usePacsI18n();
  const study = useStudy(selected);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Focus moves to the study's heading when it opens, so keyboard and screen reader users land there.
    if (study.isSuccess) headingRef.current?.focus();
  }, [study.isSuccess]);
  if (!selected) return null;
  return (
    <div className="pacs-stack">
      <div className="pacs-actions">
        <button
          type="button"
          className="pacs-button"
          data-variant="secondary"
          onClick={() => select(undefined)}
        >
          ← {t('patient.back')}
        </button>
      </div>
      {study.isPending ? (
        <LoadingState />
      ) : study.isError ? (
        <ErrorState error={study.error} onRetry={() => void study.refetch()} />
      ) : (
        <>
          <h2 ref={headingRef} tabIndex={-1} className="pacs-heading">
            {study.data.StudyDescription || study.data.ModalitiesInStudy.join(', ')}
          </h2>
          <p className="pacs-muted">{formatDicomDate(study.data.StudyDate, locale)}</p>
          {children ?? (
            <>
              <PatientExplanations />
              <PatientReport />
              <PatientImages />
              <PatientDownload />
              <PatientShare />
            </>
          )}
        </>
      )}
    </div>
  );
}

function isReleased(report: Report, now: number): boolean {
  return (
    (report.status === 'final' || report.status === 'amended') &&
    (report.releaseAt === undefined || Date.parse(report.releaseAt) <= now)
  );
}

/** The latest released report of the open study: its patient summary first, then the full text. */
export function PatientReport() {
  const { selected, now } = usePartContext(PatientViewerContext, 'PatientViewer.Report');
  const { t } = usePacsI18n();
  const reports = useReports(selected);
  return (
    <section className="pacs-card pacs-stack" aria-label={t('patient.report')}>
      <h3 className="pacs-heading">{t('patient.report')}</h3>
      {reports.isPending ? (
        <LoadingState />
      ) : reports.isError ? (
        <ErrorState error={reports.error} onRetry={() => void reports.refetch()} />
      ) : (
        <ReleasedReport report={reports.data.find((report) => isReleased(report, now()))} />
      )}
    </section>
  );
}

function ReleasedReport({ report }: { report: Report | undefined }) {
  const { t } = usePacsI18n();
  if (!report) return <p className="pacs-muted">{t('patient.noReport')}</p>;
  return (
    <>
      {report.patientSummary ? (
        <div>
          <h4 className="pacs-heading">{t('patient.reportSummary')}</h4>
          <p>{report.patientSummary}</p>
        </div>
      ) : null}
      <dl>
        <dt>
          <strong>{t('reports.findings')}</strong>
        </dt>
        <dd>{report.findings}</dd>
        <dt>
          <strong>{t('reports.impression')}</strong>
        </dt>
        <dd>{report.impression}</dd>
        {report.addendum ? (
          <>
            <dt>
              <strong>{t('reports.addendum')}</strong>
            </dt>
            <dd>{report.addendum}</dd>
          </>
        ) : null}
      </dl>
    </>
  );
}

/** Plain-language explanations of the modality, body part and terms of the open study. */
export function PatientExplanations() {
  const { selected, explanations, now } = usePartContext(PatientViewerContext, 'PatientViewer.Explanations');
  const { t } = usePacsI18n();
  const study = useStudy(selected);
  const series = useSeries(selected);
  const reports = useReports(selected);
  if (!study.data) return null;
  const released = reports.data?.find((report) => isReleased(report, now()));
  const items = explanationsFor(explanations, {
    modalities: study.data.ModalitiesInStudy,
    bodyParts: (series.data ?? []).flatMap((item) => (item.BodyPartExamined ? [item.BodyPartExamined] : [])),
    text: [study.data.StudyDescription, released?.findings, released?.impression].filter(Boolean).join(' '),
  });
  if (items.length === 0) return null;
  return (
    <section className="pacs-card" aria-label={t('patient.explanations')}>
      <h3 className="pacs-heading">{t('patient.explanations')}</h3>
      <dl>
        {items.map((item) => (
          <div key={item.title}>
            <dt>
              <strong>{item.title}</strong>
            </dt>
            <dd>{item.text}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The simplified viewer (scroll, zoom, brightness/contrast), loaded only when the patient asks. */
export function PatientImages() {
  const { selected } = usePartContext(PatientViewerContext, 'PatientViewer.Images');
  const { t } = usePacsI18n();
  const [open, setOpen] = useState(false);
  return (
    <section className="pacs-stack pacs-simple-viewer" data-state={open ? 'open' : 'closed'}>
      <div className="pacs-actions">
        <button type="button" className="pacs-button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('patient.hideImages') : t('patient.viewImages')}
        </button>
      </div>
      {open && selected ? <SimplifiedViewer studyInstanceUID={selected} /> : null}
    </section>
  );
}

function SimplifiedViewer({ studyInstanceUID }: { studyInstanceUID: string }) {
  const series = useViewerSeries(studyInstanceUID);
  if (series.isPending) return <LoadingState />;
  if (series.isError) return <ErrorState error={series.error} onRetry={() => void series.refetch()} />;
  return <LazyDicomViewer series={series.data} simplified />;
}
