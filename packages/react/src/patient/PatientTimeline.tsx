import type { Study } from '@pacskit/sdk';
import { EmptyState, ErrorState, LoadingState } from '../common/StatusMessage.js';
import { useStudySearch } from '../hooks/useStudySearch.js';
import { usePartContext } from '../internal/createPartContext.js';
import { formatDicomDate } from '../internal/formatDicom.js';
import { usePacsI18n } from '../provider/usePacs.js';
import { explanationsFor } from './explanations.js';
import { PatientViewerContext } from './patientViewerContext.js';

/** The patient's studies, newest first, as a timeline of large buttons. */
export function PatientTimeline() {
  const { patientID, selected, select, explanations } = usePartContext(
    PatientViewerContext,
    'PatientViewer.Timeline',
  );
  const { t, locale } = usePacsI18n();
  const search = useStudySearch(patientID ? { patientID } : {});
  if (search.isPending) return <LoadingState />;
  if (search.isError) return <ErrorState error={search.error} onRetry={() => void search.refetch()} />;
  const studies = [...search.data.items].sort((a, b) => (b.StudyDate ?? '').localeCompare(a.StudyDate ?? ''));
  if (studies.length === 0) return <EmptyState>{t('patient.noStudies')}</EmptyState>;
  const titleOf = (study: Study) =>
    explanationsFor(explanations, { modalities: study.ModalitiesInStudy, bodyParts: [], text: '' })[0]
      ?.title ?? study.ModalitiesInStudy.join(', ');
  return (
    <div className="pacs-stack">
      <h2 className="pacs-heading">{t('patient.timeline')}</h2>
      <ol className="pacs-timeline">
        {studies.map((study) => (
          <li
            key={study.StudyInstanceUID}
            className="pacs-timeline-item"
            data-state={selected === study.StudyInstanceUID ? 'selected' : 'idle'}
          >
            <button
              type="button"
              className="pacs-timeline-button"
              onClick={() => select(study.StudyInstanceUID)}
            >
              <span className="pacs-card pacs-stack">
                <time dateTime={study.StudyDate} className="pacs-muted">
                  {formatDicomDate(study.StudyDate, locale)}
                </time>
                <strong>{titleOf(study)}</strong>
                <span>{study.StudyDescription}</span>
              </span>
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}
