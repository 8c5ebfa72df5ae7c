import type { ReactNode } from 'react';
import { useDicomViewerContext } from './dicomViewerContext.js';
import type { ViewportInfo } from './viewportInfo.js';

export interface DicomViewerOverlayProps {
  /** Replaces the default corner text. */
  render?: (info: ViewportInfo) => ReactNode;
}

/**
 * Corner text over the image: position in the series, window, zoom, modality. Place it inside
 * `DicomViewer.Viewport`. It shows no patient data: hosts that want names add them via `render`.
 */
export function DicomViewerOverlay(props: DicomViewerOverlayProps): ReactNode {
  const { info, state } = useDicomViewerContext('Overlay');
  if (state !== 'ready') return null;
  if (props.render) return <div className="pacs-viewer__overlay">{props.render(info)}</div>;
  const round = (value: number | undefined) => (value === undefined ? '–' : Math.round(value));
  return (
    <div className="pacs-viewer__overlay" data-testid="pacs-viewer-overlay">
      <p className="pacs-viewer__corner" data-corner="top-left">
        {info.modality ?? ''}
      </p>
      <p className="pacs-viewer__corner" data-corner="top-right">
        Im {info.imageIndex + 1}/{info.imageCount}
        {info.loadedCount < info.imageCount ? ` (${info.loadedCount} loaded)` : ''}
      </p>
      <p className="pacs-viewer__corner" data-corner="bottom-left">
        {info.columns !== undefined && info.rows !== undefined ? `${info.columns}×${info.rows}` : ''}
        {info.cine ? ' · cine' : ''}
      </p>
      <p className="pacs-viewer__corner" data-corner="bottom-right">
        W {round(info.windowWidth)} L {round(info.windowCenter)}
        {info.zoom !== undefined ? ` · ${info.zoom.toFixed(2)}×` : ''}
      </p>
    </div>
  );
}
