import type { ViewMode } from './viewMode.js';

/** What the viewport shows right now (read by `DicomViewer.Overlay` and `onViewportChange`). */
export interface ViewportInfo {
  /** 0-based index of the shown image in the series. */
  imageIndex: number;
  imageCount: number;
  windowWidth?: number;
  windowCenter?: number;
  zoom?: number;
  rotation?: number;
  flipHorizontal?: boolean;
  flipVertical?: boolean;
  invert?: boolean;
  modality?: string;
  rows?: number;
  columns?: number;
  /** Number of images decoded so far (progressive loading). */
  loadedCount: number;
  cine: boolean;
  viewMode?: ViewMode;
}

export const emptyViewportInfo: ViewportInfo = { imageIndex: 0, imageCount: 0, loadedCount: 0, cine: false };
