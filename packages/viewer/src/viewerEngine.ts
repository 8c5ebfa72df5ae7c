import type { ViewerCommand } from './keyboardShortcuts.js';
import type { ViewerAnnotation } from './viewerAnnotation.js';
import type { ViewMode } from './viewMode.js';
import type { ViewerSeries } from './viewerSeries.js';
import type { ViewerTool } from './viewerTool.js';
import type { ViewportInfo } from './viewportInfo.js';
import type { WindowLevelPreset } from './windowLevelPresets.js';

/** Auth for image requests: headers to add, computed per request so a refreshed token is used. */
export type RequestHeadersProvider = (
  url: string,
) => Record<string, string> | undefined | Promise<Record<string, string> | undefined>;

export interface ViewerEngineOptions {
  element: HTMLDivElement;
  requestHeaders?: RequestHeadersProvider;
  /** Text for arrow/text annotations (default: `window.prompt`). */
  requestText?: (current: string | undefined) => Promise<string | undefined>;
  onFirstImage(): void;
  onViewportChange(info: ViewportInfo): void;
  onAnnotationsChange(annotations: ViewerAnnotation[]): void;
  /** Anything the loader or Cornerstone rejected with; the root turns it into a PacsError. */
  onError(error: unknown): void;
}

/**
 * The imperative side of the viewer: one rendering engine, one viewport and one tool group per mount.
 * The React parts talk only to this interface, so unit tests replace it and never load Cornerstone.
 */
export interface ViewerEngine {
  /** Shows a series; `mpr`/`mip` load it as a volume (no SharedArrayBuffer needed). */
  showSeries(series: ViewerSeries, signal: AbortSignal, viewMode?: ViewMode): Promise<void>;
  setTool(tool: ViewerTool): void;
  run(command: ViewerCommand): void;
  applyPreset(preset: Pick<WindowLevelPreset, 'windowWidth' | 'windowCenter'>): void;
  setAnnotations(annotations: readonly ViewerAnnotation[]): void;
  getAnnotations(): ViewerAnnotation[];
  /** Registers local files with the loader and returns their `dicomfile:` image ids. */
  addLocalFiles(files: readonly File[]): string[];
  resize(): void;
  destroy(): void;
}

export type CreateViewerEngine = (options: ViewerEngineOptions) => Promise<ViewerEngine>;
