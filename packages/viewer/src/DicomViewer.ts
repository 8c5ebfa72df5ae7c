import { DicomViewerOverlay } from './DicomViewerOverlay.js';
import { DicomViewerRoot } from './DicomViewerRoot.js';
import { DicomViewerSeriesBrowser } from './DicomViewerSeriesBrowser.js';
import { DicomViewerToolbar } from './DicomViewerToolbar.js';
import { DicomViewerViewport } from './DicomViewerViewport.js';

/**
 * The compound viewer: `<DicomViewer.Root>` with any of `Toolbar`, `SeriesBrowser`, `Viewport` and
 * (inside the viewport) `Overlay`. Each part is also exported on its own (`DicomViewerRoot`, …).
 */
export const DicomViewer = {
  Root: DicomViewerRoot,
  Viewport: DicomViewerViewport,
  Toolbar: DicomViewerToolbar,
  SeriesBrowser: DicomViewerSeriesBrowser,
  Overlay: DicomViewerOverlay,
} as const;
