export { DicomViewer } from './DicomViewer.js';
export { DicomViewerRoot } from './DicomViewerRoot.js';
export type { DicomViewerRootProps } from './DicomViewerRoot.js';
export { DicomViewerViewport } from './DicomViewerViewport.js';
export type { DicomViewerViewportProps } from './DicomViewerViewport.js';
export { DicomViewerToolbar } from './DicomViewerToolbar.js';
export type { DicomViewerToolbarProps, ViewerAction } from './DicomViewerToolbar.js';
export { DicomViewerSeriesBrowser } from './DicomViewerSeriesBrowser.js';
export type { DicomViewerSeriesBrowserProps } from './DicomViewerSeriesBrowser.js';
export { DicomViewerOverlay } from './DicomViewerOverlay.js';
export type { DicomViewerOverlayProps } from './DicomViewerOverlay.js';
export type { DicomViewerState } from './dicomViewerContext.js';
export { commandForKey, defaultKeyboardShortcuts } from './keyboardShortcuts.js';
export type { ViewerCommand } from './keyboardShortcuts.js';
export { annotationTools, isViewerTool, viewerToolLabels, viewerTools } from './viewerTool.js';
export type { ViewerTool } from './viewerTool.js';
export { presetToRange, presetsForModality, windowLevelPresets } from './windowLevelPresets.js';
export type { WindowLevelPreset } from './windowLevelPresets.js';
export { viewModeLabels, viewModes } from './viewMode.js';
export type { ViewMode } from './viewMode.js';
export type { ViewerAnnotation } from './viewerAnnotation.js';
export type { ViewerSeries } from './viewerSeries.js';
export type { ViewportInfo } from './viewportInfo.js';
export type {
  CreateViewerEngine,
  RequestHeadersProvider,
  ViewerEngine,
  ViewerEngineOptions,
} from './viewerEngine.js';
export { toViewerError } from './toViewerError.js';
