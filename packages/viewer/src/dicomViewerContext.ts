import { createContext, useContext } from 'react';
import type { PacsError } from '@pacskit/dicom';
import type { ViewerCommand } from './keyboardShortcuts.js';
import type { ViewerEngine } from './viewerEngine.js';
import type { ViewMode } from './viewMode.js';
import type { ViewerSeries } from './viewerSeries.js';
import type { ViewerTool } from './viewerTool.js';
import type { ViewportInfo } from './viewportInfo.js';
import type { WindowLevelPreset } from './windowLevelPresets.js';

/** What the viewer is doing, shown as `data-state` on the root. */
export type DicomViewerState = 'empty' | 'loading' | 'ready' | 'error';

export interface DicomViewerContextValue {
  state: DicomViewerState;
  error: PacsError | undefined;
  tool: ViewerTool;
  setTool(tool: ViewerTool): void;
  viewMode: ViewMode;
  setViewMode(viewMode: ViewMode): void;
  series: readonly ViewerSeries[];
  activeSeries: ViewerSeries | undefined;
  selectSeries(seriesInstanceUID: string): void;
  info: ViewportInfo;
  presets: readonly WindowLevelPreset[];
  applyPreset(preset: WindowLevelPreset): void;
  run(command: ViewerCommand): void;
  retry(): void;
  allowLocalFiles: boolean;
  openLocalFiles(files: readonly File[]): void;
  keyboardShortcuts: Readonly<Record<string, ViewerCommand>> | undefined;
  /** Called by DicomViewer.Viewport when its element mounts (and with `undefined` on unmount). */
  attachElement(element: HTMLDivElement | null): void;
  engine: ViewerEngine | undefined;
  /** Id of the element that announces the viewer's state (for aria-describedby). */
  statusId: string;
}

export const DicomViewerContext = createContext<DicomViewerContextValue | undefined>(undefined);

/** The root's context; a part used outside `DicomViewer.Root` throws (Radix-style). */
export function useDicomViewerContext(part: string): DicomViewerContextValue {
  const value = useContext(DicomViewerContext);
  if (value === undefined)
    throw new Error(`\`DicomViewer.${part}\` must be used within \`DicomViewer.Root\``);
  return value;
}
