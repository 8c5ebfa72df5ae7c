import type { ReactNode } from 'react';
import { useDicomViewerContext } from './dicomViewerContext.js';

export interface DicomViewerSeriesBrowserProps {
  'aria-label'?: string;
  className?: string;
}

/** The series of the study (and opened local files); choosing one shows it in the viewport. */
export function DicomViewerSeriesBrowser(props: DicomViewerSeriesBrowserProps): ReactNode {
  const context = useDicomViewerContext('SeriesBrowser');
  if (context.series.length === 0) return null;
  return (
    <nav aria-label={props['aria-label'] ?? 'Series'}>
      <ul className={props.className ? `pacs-viewer__series ${props.className}` : 'pacs-viewer__series'}>
        {context.series.map((series) => {
          const current = series.seriesInstanceUID === context.activeSeries?.seriesInstanceUID;
          return (
            <li key={series.seriesInstanceUID}>
              <button
                type="button"
                className="pacs-viewer__button pacs-viewer__series-item"
                aria-current={current ? 'true' : undefined}
                data-state={current ? 'active' : 'inactive'}
                onClick={() => context.selectSeries(series.seriesInstanceUID)}
              >
                {series.thumbnailUrl ? <img src={series.thumbnailUrl} alt="" width={64} height={64} /> : null}
                <span>{series.description ?? series.seriesInstanceUID}</span>
                <span className="pacs-viewer__series-meta">
                  {[series.modality, `${series.imageIds.length} images`].filter(Boolean).join(' · ')}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
