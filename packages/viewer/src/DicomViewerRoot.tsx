import type { PacsError } from '@pacskit/dicom';
import {
  type CSSProperties,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  DicomViewerContext,
  type DicomViewerContextValue,
  type DicomViewerState,
} from './dicomViewerContext.js';
import { defaultKeyboardShortcuts, type ViewerCommand } from './keyboardShortcuts.js';
import { toViewerError } from './toViewerError.js';
import type { ViewerAnnotation } from './viewerAnnotation.js';
import type { CreateViewerEngine, RequestHeadersProvider, ViewerEngine } from './viewerEngine.js';
import type { ViewMode } from './viewMode.js';
import type { ViewerSeries } from './viewerSeries.js';
import { viewerStyles } from './viewerStyles.js';
import type { ViewerTool } from './viewerTool.js';
import { emptyViewportInfo, type ViewportInfo } from './viewportInfo.js';
import { presetsForModality, type WindowLevelPreset } from './windowLevelPresets.js';

export interface DicomViewerRootProps {
  /** One series as image IDs (`wadors:`, `wadouri:` or `dicomfile:`), shorthand for `series`. */
  imageIds?: readonly string[];
  /** Series the SeriesBrowser offers; the first is shown unless `seriesInstanceUID` says otherwise. */
  series?: readonly ViewerSeries[];
  seriesInstanceUID?: string;
  defaultSeriesInstanceUID?: string;
  onSeriesChange?: (seriesInstanceUID: string) => void;
  /** The primary (left button / one finger) tool, controlled. */
  tool?: ViewerTool;
  defaultTool?: ViewerTool;
  onToolChange?: (tool: ViewerTool) => void;
  /** Stack, MPR (axial/sagittal/coronal) or MIP, controlled. */
  viewMode?: ViewMode;
  defaultViewMode?: ViewMode;
  onViewModeChange?: (viewMode: ViewMode) => void;
  /** Headers for every image request of this viewer (e.g. `Authorization`), asked per request. */
  requestHeaders?: RequestHeadersProvider;
  /** Annotations in image coordinates; when given, the viewer shows exactly these (controlled). */
  annotations?: readonly ViewerAnnotation[];
  onAnnotationsChange?: (annotations: ViewerAnnotation[]) => void;
  onViewportChange?: (info: ViewportInfo) => void;
  /** Called with the first image on screen (progressive loading: before the rest of the series). */
  onFirstImage?: () => void;
  onError?: (error: PacsError) => void;
  /** Let the user open or drop local DICOM files (no server involved). Default true. */
  allowLocalFiles?: boolean;
  /** Keyboard shortcuts in the focused viewport: `false` turns them off, an object replaces them. */
  keyboardShortcuts?: boolean | Readonly<Record<string, ViewerCommand>>;
  /** Asks the user for the text of an arrow/text annotation (default `window.prompt`). */
  requestText?: (current: string | undefined) => Promise<string | undefined>;
  /** Replaces the Cornerstone3D engine (tests, custom rendering). */
  createEngine?: CreateViewerEngine;
  className?: string;
  style?: CSSProperties;
  'aria-label'?: string;
  children?: ReactNode;
}

const noSeries: readonly ViewerSeries[] = [];

const lazyCornerstoneEngine: CreateViewerEngine = async (options) => {
  const { createCornerstoneViewerEngine } = await import('./cornerstoneViewerEngine.js');
  return createCornerstoneViewerEngine(options);
};

/** The viewer's root: owns the engine, the state and the context the other parts read. */
export function DicomViewerRoot(props: DicomViewerRootProps): ReactNode {
  const {
    imageIds,
    series: seriesProp,
    tool: toolProp,
    defaultTool = 'windowLevel',
    allowLocalFiles = true,
    keyboardShortcuts = true,
    createEngine = lazyCornerstoneEngine,
  } = props;
  const propsRef = useRef(props);
  propsRef.current = props;
  const statusId = useId();

  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const [engine, setEngine] = useState<ViewerEngine | undefined>(undefined);
  const [state, setState] = useState<DicomViewerState>('empty');
  const [error, setError] = useState<PacsError | undefined>(undefined);
  const [info, setInfo] = useState<ViewportInfo>(emptyViewportInfo);
  const [uncontrolledTool, setUncontrolledTool] = useState<ViewerTool>(defaultTool);
  const [localSeries, setLocalSeries] = useState<ViewerSeries[]>([]);
  const [uncontrolledSeriesUID, setUncontrolledSeriesUID] = useState(props.defaultSeriesInstanceUID);
  const [attempt, setAttempt] = useState(0);
  const [uncontrolledViewMode, setUncontrolledViewMode] = useState<ViewMode>(
    props.defaultViewMode ?? 'stack',
  );
  const viewMode = props.viewMode ?? uncontrolledViewMode;

  const tool = toolProp ?? uncontrolledTool;
  const series = useMemo<readonly ViewerSeries[]>(() => {
    const given =
      seriesProp ?? (imageIds ? [{ seriesInstanceUID: 'series', imageIds: [...imageIds] }] : noSeries);
    return localSeries.length > 0 ? [...given, ...localSeries] : given;
  }, [seriesProp, imageIds, localSeries]);
  const activeSeriesUID = props.seriesInstanceUID ?? uncontrolledSeriesUID;
  const activeSeries = series.find((s) => s.seriesInstanceUID === activeSeriesUID) ?? series[0];

  const fail = useCallback((cause: unknown) => {
    const pacsError = toViewerError(cause);
    setError(pacsError);
    setState('error');
    propsRef.current.onError?.(pacsError);
  }, []);

  // One engine per mounted viewport element; StrictMode's double mount gets two engines with
  // distinct ids, the first destroyed before (or as soon as) it is created.
  useEffect(() => {
    if (element === null) return;
    let cancelled = false;
    let created: ViewerEngine | undefined;
    createEngine({
      element,
      requestHeaders: (url) => propsRef.current.requestHeaders?.(url),
      requestText: (current) =>
        propsRef.current.requestText?.(current) ??
        Promise.resolve(
          typeof window !== 'undefined' ? (window.prompt('Text', current ?? '') ?? undefined) : current,
        ),
      onFirstImage: () => {
        if (cancelled) return;
        setState((previous) => (previous === 'loading' ? 'ready' : previous));
        propsRef.current.onFirstImage?.();
      },
      onViewportChange: (next) => {
        if (cancelled) return;
        setInfo(next);
        propsRef.current.onViewportChange?.(next);
      },
      onAnnotationsChange: (annotations) => {
        if (!cancelled) propsRef.current.onAnnotationsChange?.(annotations);
      },
      onError: (cause) => {
        if (!cancelled) fail(cause);
      },
    }).then(
      (next) => {
        if (cancelled) next.destroy();
        else {
          created = next;
          setEngine(next);
        }
      },
      (cause: unknown) => {
        if (!cancelled) fail(cause);
      },
    );
    return () => {
      cancelled = true;
      created?.destroy();
      setEngine(undefined);
    };
  }, [element, createEngine, fail]);

  // Show the active series; a new series (or unmount) aborts the previous load.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load on retry.
  useEffect(() => {
    if (activeSeries === undefined || activeSeries.imageIds.length === 0) {
      setState('empty');
      setInfo(emptyViewportInfo);
      return;
    }
    if (engine === undefined) {
      setState('loading');
      return;
    }
    const controller = new AbortController();
    setState('loading');
    setError(undefined);
    engine.showSeries(activeSeries, controller.signal, viewMode).then(
      () => {
        if (!controller.signal.aborted) setState((previous) => (previous === 'loading' ? 'ready' : previous));
      },
      (cause: unknown) => {
        if (!controller.signal.aborted) fail(cause);
      },
    );
    return () => controller.abort();
  }, [engine, activeSeries, viewMode, attempt, fail]);

  useEffect(() => {
    engine?.setTool(tool);
  }, [engine, tool]);

  const annotations = props.annotations;
  useEffect(() => {
    if (engine !== undefined && annotations !== undefined && state === 'ready')
      engine.setAnnotations(annotations);
  }, [engine, annotations, state]);

  const setTool = useCallback((next: ViewerTool) => {
    if (propsRef.current.tool === undefined) setUncontrolledTool(next);
    propsRef.current.onToolChange?.(next);
  }, []);

  const setViewMode = useCallback((next: ViewMode) => {
    if (propsRef.current.viewMode === undefined) setUncontrolledViewMode(next);
    propsRef.current.onViewModeChange?.(next);
  }, []);

  const selectSeries = useCallback((seriesInstanceUID: string) => {
    if (propsRef.current.seriesInstanceUID === undefined) setUncontrolledSeriesUID(seriesInstanceUID);
    propsRef.current.onSeriesChange?.(seriesInstanceUID);
  }, []);

  const modality = info.modality ?? activeSeries?.modality;
  const presets = useMemo(() => presetsForModality(modality), [modality]);

  const run = useCallback(
    (command: ViewerCommand) => {
      if (command.type === 'tool') setTool(command.tool);
      else if (command.type === 'preset') {
        const preset = presets[command.index];
        if (preset) engine?.applyPreset(preset);
      } else engine?.run(command);
    },
    [engine, presets, setTool],
  );

  const applyPreset = useCallback((preset: WindowLevelPreset) => engine?.applyPreset(preset), [engine]);

  // Files dropped before Cornerstone has loaded wait for the engine instead of being ignored.
  const pendingFiles = useRef<File[]>([]);
  const openLocalFiles = useCallback(
    (files: readonly File[]) => {
      if (files.length === 0) return;
      if (engine === undefined) {
        pendingFiles.current.push(...files);
        return;
      }
      const localImageIds = engine.addLocalFiles(files);
      setLocalSeries((previous) => {
        const seriesInstanceUID = `local-${previous.length + 1}`;
        const next: ViewerSeries = {
          seriesInstanceUID,
          description: files.length === 1 ? (files[0]?.name ?? 'Local file') : `${files.length} local files`,
          imageIds: localImageIds,
        };
        queueMicrotask(() => selectSeries(seriesInstanceUID));
        return [...previous, next];
      });
    },
    [engine, selectSeries],
  );

  useEffect(() => {
    if (engine === undefined || pendingFiles.current.length === 0) return;
    const files = pendingFiles.current;
    pendingFiles.current = [];
    openLocalFiles(files);
  }, [engine, openLocalFiles]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  const context = useMemo<DicomViewerContextValue>(
    () => ({
      state,
      error,
      tool,
      setTool,
      viewMode,
      setViewMode,
      series,
      activeSeries,
      selectSeries,
      info,
      presets,
      applyPreset,
      run,
      retry,
      allowLocalFiles,
      openLocalFiles,
      keyboardShortcuts:
        keyboardShortcuts === false
          ? undefined
          : keyboardShortcuts === true
            ? defaultKeyboardShortcuts
            : keyboardShortcuts,
      attachElement: setElement,
      engine,
      statusId,
    }),
    [
      state,
      error,
      tool,
      setTool,
      viewMode,
      setViewMode,
      series,
      activeSeries,
      selectSeries,
      info,
      presets,
      applyPreset,
      run,
      retry,
      allowLocalFiles,
      openLocalFiles,
      keyboardShortcuts,
      engine,
      statusId,
    ],
  );

  return (
    <DicomViewerContext.Provider value={context}>
      {/* React 19 hoists and de-duplicates this by href, so many viewers share one stylesheet. */}
      <style href="pacs-viewer-styles" precedence="default">
        {viewerStyles}
      </style>
      <section
        className={props.className ? `pacs-viewer ${props.className}` : 'pacs-viewer'}
        style={props.style}
        aria-label={props['aria-label'] ?? 'DICOM viewer'}
        data-state={state}
        data-tool={tool}
        data-view-mode={viewMode}
      >
        {props.children}
      </section>
    </DicomViewerContext.Provider>
  );
}
