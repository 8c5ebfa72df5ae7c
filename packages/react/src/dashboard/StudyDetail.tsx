import type { Series, Study } from '@pacskit/sdk';
import type { ViewerSeries } from '@pacskit/viewer';
import type { ReactNode } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../common/StatusMessage.js';
import { useSeries } from '../hooks/useSeries.js';
import { useStudy } from '../hooks/useStudy.js';
import { useThumbnail } from '../hooks/useThumbnail.js';
import { useViewerAnnotations } from '../hooks/useViewerAnnotations.js';
import { useViewerSeries } from '../hooks/useViewerSeries.js';
import { createPartContext, usePartContext } from '../internal/createPartContext.js';
import { formatDicomDate, formatPersonName } from '../internal/formatDicom.js';
import { useControllableState } from '../internal/useControllableState.js';
import { usePacsI18n, usePacsScope } from '../provider/usePacs.js';
import { LazyDicomViewer } from '../viewer/LazyDicomViewer.js';

interface StudyDetailContextValue {
  studyInstanceUID: string;
  viewerOpen: boolean;
  setViewerOpen: (open: boolean) => void;
}

const StudyDetailContext = createPartContext<StudyDetailContextValue>('StudyDetail.Root');

export interface StudyDetailRootProps {
  /** The study to show; without one, a hint to select a study. */
  studyInstanceUID: string | undefined;
  viewerOpen?: boolean;
  defaultViewerOpen?: boolean;
  onViewerOpenChange?: (open: boolean) => void;
  className?: string;
  children?: ReactNode;
}

export function StudyDetailRoot(props: StudyDetailRootProps) {
  const { t } = usePacsI18n();
  const scope = usePacsScope(props.className ? `pacs-card ${props.className}` : 'pacs-card');
  const [viewerOpen, setViewerOpen] = useControllableState({
    value: props.viewerOpen,
    defaultValue: props.defaultViewerOpen ?? false,
    onChange: props.onViewerOpenChange,
  });
  if (!props.studyInstanceUID) {
    return (
      <section {...scope} aria-label={t('studyDetail.label')} data-state="empty">
        <EmptyState>{t('studyDetail.noStudy')}</EmptyState>
      </section>
    );
  }
  return (
    <StudyDetailContext.Provider
      value={{ studyInstanceUID: props.studyInstanceUID, viewerOpen, setViewerOpen }}
    >
      <section {...scope} aria-label={t('studyDetail.label')} data-state={viewerOpen ? 'viewing' : 'idle'}>
        {props.children ?? (
          <>
            <StudyDetailHeader />
            <StudyDetailSeriesList />
            <StudyDetailViewer />
          </>
        )}
      </section>
    </StudyDetailContext.Provider>
  );
}

/** Patient, date and description of the study, with the Open viewer button. */
export function StudyDetailHeader({ children }: { children?: ReactNode }) {
  const { studyInstanceUID } = usePartContext(StudyDetailContext, 'StudyDetail.Header');
  const study = useStudy(studyInstanceUID);
  if (study.isPending) return <LoadingState />;
  if (study.isError) return <ErrorState error={study.error} onRetry={() => void study.refetch()} />;
  return <StudyHeading study={study.data}>{children ?? <StudyDetailOpenViewer />}</StudyHeading>;
}

function StudyHeading({ study, children }: { study: Study; children: ReactNode }) {
  const { locale } = usePacsI18n();
  return (
    <header className="pacs-stack">
      <h3 className="pacs-heading">{study.StudyDescription || study.ModalitiesInStudy.join(', ')}</h3>
      <p className="pacs-muted">
        {[
          formatPersonName(study.PatientName),
          study.PatientID,
          formatDicomDate(study.StudyDate, locale),
          study.AccessionNumber,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <div className="pacs-actions">{children}</div>
    </header>
  );
}

export function StudyDetailOpenViewer() {
  const { viewerOpen, setViewerOpen } = usePartContext(StudyDetailContext, 'StudyDetail.OpenViewer');
  const { t } = usePacsI18n();
  return (
    <button
      type="button"
      className="pacs-button"
      aria-expanded={viewerOpen}
      data-state={viewerOpen ? 'open' : 'closed'}
      onClick={() => setViewerOpen(!viewerOpen)}
    >
      {viewerOpen ? t('studyDetail.closeViewer') : t('studyDetail.openViewer')}
    </button>
  );
}

/** The series of the study with their thumbnails. */
export function StudyDetailSeriesList() {
  const { studyInstanceUID } = usePartContext(StudyDetailContext, 'StudyDetail.SeriesList');
  const { t } = usePacsI18n();
  const series = useSeries(studyInstanceUID);
  if (series.isPending) return <LoadingState />;
  if (series.isError) return <ErrorState error={series.error} onRetry={() => void series.refetch()} />;
  if (series.data.length === 0) return <EmptyState>{t('studyDetail.noSeries')}</EmptyState>;
  return (
    <div>
      <h4 className="pacs-heading">{t('studyDetail.series')}</h4>
      <ul className="pacs-series-grid">
        {series.data.map((item) => (
          <SeriesCard key={item.SeriesInstanceUID} series={item} />
        ))}
      </ul>
    </div>
  );
}

function SeriesCard({ series }: { series: Series }) {
  const { t } = usePacsI18n();
  const thumbnail = useThumbnail({
    studyInstanceUID: series.StudyInstanceUID,
    seriesInstanceUID: series.SeriesInstanceUID,
  });
  const number = series.SeriesNumber ?? '';
  return (
    <li className="pacs-card" data-state={thumbnail.status}>
      {thumbnail.data ? (
        <img className="pacs-thumb" src={thumbnail.data} alt={t('studyDetail.thumbnail', { number })} />
      ) : (
        <div className="pacs-thumb" role="img" aria-label={t('studyDetail.thumbnail', { number })} />
      )}
      <p>
        <span className="pacs-badge">{series.Modality}</span> {series.SeriesDescription}
      </p>
      <p className="pacs-muted">
        {t('studyDetail.instances', { count: series.NumberOfSeriesRelatedInstances ?? 0 })}
      </p>
    </li>
  );
}

/** The viewer, loaded lazily the first time the study detail opens it. */
export function StudyDetailViewer() {
  const { studyInstanceUID, viewerOpen } = usePartContext(StudyDetailContext, 'StudyDetail.Viewer');
  if (!viewerOpen) return null;
  return <OpenViewer studyInstanceUID={studyInstanceUID} />;
}

const noViewerSeries: ViewerSeries[] = [];

function OpenViewer({ studyInstanceUID }: { studyInstanceUID: string }) {
  const series = useViewerSeries(studyInstanceUID);
  // Measurements load from and save to the archive's annotations API when there is a workflow client.
  const annotations = useViewerAnnotations(studyInstanceUID, series.data ?? noViewerSeries);
  if (series.isPending) return <LoadingState />;
  if (series.isError) return <ErrorState error={series.error} onRetry={() => void series.refetch()} />;
  // A definite height: the viewer fills its box, and a box sized by its content would grow with
  // the canvas and spill over whatever the host page puts below the study detail.
  return (
    <div className="pacs-study-viewer">
      <LazyDicomViewer series={series.data} {...annotations} />
    </div>
  );
}

export const StudyDetail = {
  Root: StudyDetailRoot,
  Header: StudyDetailHeader,
  OpenViewer: StudyDetailOpenViewer,
  SeriesList: StudyDetailSeriesList,
  Viewer: StudyDetailViewer,
};
