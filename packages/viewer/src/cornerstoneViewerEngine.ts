import type { Types as CoreTypes } from '@cornerstonejs/core';
import type { Types as ToolTypes } from '@cornerstonejs/tools';
import { type CornerstoneRuntime, loadCornerstone, registerRequestHeaders } from './cornerstoneRuntime.js';
import type { ViewerCommand } from './keyboardShortcuts.js';
import type { ViewerAnnotation } from './viewerAnnotation.js';
import type { ViewerEngine, ViewerEngineOptions } from './viewerEngine.js';
import type { ViewMode } from './viewMode.js';
import type { ViewerSeries } from './viewerSeries.js';
import { annotationTools, type ViewerTool } from './viewerTool.js';
import { emptyViewportInfo, type ViewportInfo } from './viewportInfo.js';
import { presetToRange, type WindowLevelPreset } from './windowLevelPresets.js';

type AnnotationToolName = ViewerAnnotation['tool'];

function cornerstoneToolNames(rt: CornerstoneRuntime): Record<ViewerTool, string> {
  const t = rt.tools;
  return {
    windowLevel: t.WindowLevelTool.toolName,
    zoom: t.ZoomTool.toolName,
    pan: t.PanTool.toolName,
    stackScroll: t.StackScrollTool.toolName,
    length: t.LengthTool.toolName,
    angle: t.AngleTool.toolName,
    ellipticalRoi: t.EllipticalROITool.toolName,
    rectangleRoi: t.RectangleROITool.toolName,
    probe: t.ProbeTool.toolName,
    arrowAnnotate: t.ArrowAnnotateTool.toolName,
    label: t.LabelTool.toolName,
  };
}

/** Numeric results Cornerstone caches per annotation, copied out under these names. */
const measurementKeys = ['length', 'angle', 'area', 'mean', 'stdDev', 'min', 'max', 'value', 'perimeter'];

let engineCounter = 0;
let volumeCounter = 0;
/** Image ids shown by live engines: annotations of a series are dropped when its last viewer goes. */
const liveImageIds = new Map<string, number>();

function defaultRequestText(current: string | undefined): Promise<string | undefined> {
  if (typeof window === 'undefined' || typeof window.prompt !== 'function') return Promise.resolve(current);
  return Promise.resolve(window.prompt('Annotation text', current ?? '') ?? undefined);
}

/** The shape of Cornerstone's (private) context pool, read only to release its WebGL contexts. */
interface ContextPoolShape {
  _implementation?: {
    contextPool?: {
      getAllContexts(): Array<{ getOpenGLRenderWindow?(): { getContext?(): unknown } | undefined }>;
    };
  };
}

function webGLContextsOf(renderingEngine: object): WebGLRenderingContext[] {
  const pool = (renderingEngine as ContextPoolShape)._implementation?.contextPool;
  const contexts: WebGLRenderingContext[] = [];
  for (const window of pool?.getAllContexts() ?? []) {
    const context = window.getOpenGLRenderWindow?.()?.getContext?.();
    if (
      (typeof WebGLRenderingContext !== 'undefined' && context instanceof WebGLRenderingContext) ||
      (typeof WebGL2RenderingContext !== 'undefined' && context instanceof WebGL2RenderingContext)
    ) {
      contexts.push(context as WebGLRenderingContext);
    }
  }
  return contexts;
}

/** Creates the Cornerstone3D engine for one mounted viewer (unique ids per mount for StrictMode). */
export async function createCornerstoneViewerEngine(options: ViewerEngineOptions): Promise<ViewerEngine> {
  const rt = await loadCornerstone();
  return new CornerstoneViewerEngine(rt, options);
}

class CornerstoneViewerEngine implements ViewerEngine {
  private readonly rt: CornerstoneRuntime;
  private readonly options: ViewerEngineOptions;
  private readonly element: HTMLDivElement;
  private readonly renderingEngine: InstanceType<CornerstoneRuntime['core']['RenderingEngine']>;
  private readonly viewportId: string;
  private readonly toolGroupId: string;
  private readonly toolNames: Record<ViewerTool, string>;
  private readonly viewerToolByName: Map<string, ViewerTool>;
  private imageIds: string[] = [];
  private imageIdSet = new Set<string>();
  private loaded = new Set<string>();
  private primaryTool: ViewerTool = 'windowLevel';
  private cine = false;
  private syncing = false;
  private destroyed = false;
  private pendingAnnotations: ViewerAnnotation[] = [];
  private mode: ViewMode = 'stack';
  private volumeViewportIds: string[] = [];
  private volumeContainer: HTMLDivElement | undefined;
  private volumeId: string | undefined;
  private infoFrame = 0;
  private readonly unregisterHeaders: () => void;
  private readonly removeListeners: Array<() => void> = [];

  constructor(rt: CornerstoneRuntime, options: ViewerEngineOptions) {
    this.rt = rt;
    this.options = options;
    this.element = options.element;
    const id = `pacs-viewer-${++engineCounter}-${Math.random().toString(36).slice(2, 8)}`;
    this.viewportId = `${id}-viewport`;
    this.toolGroupId = `${id}-tools`;
    this.toolNames = cornerstoneToolNames(rt);
    this.viewerToolByName = new Map(
      Object.entries(this.toolNames).map(([tool, name]) => [name, tool as ViewerTool]),
    );
    const { core, tools } = rt;
    this.renderingEngine = new core.RenderingEngine(`${id}-engine`);
    this.renderingEngine.enableElement({
      viewportId: this.viewportId,
      type: core.Enums.ViewportType.STACK,
      element: this.element,
      defaultOptions: { background: [0, 0, 0] as CoreTypes.Point3 },
    });
    const toolGroup = tools.ToolGroupManager.createToolGroup(this.toolGroupId);
    if (!toolGroup) throw new Error(`tool group ${this.toolGroupId} already exists`);
    for (const name of Object.values(this.toolNames)) toolGroup.addTool(name);
    const requestText = options.requestText ?? defaultRequestText;
    const textCallbacks = {
      getTextCallback: (done: (text: string) => void) => {
        void requestText(undefined).then((text) => done(text ?? ''));
      },
      changeTextCallback: (data: { text?: string }, _event: unknown, done: (text: string) => void) => {
        void requestText(data.text).then((text) => done(text ?? data.text ?? ''));
      },
    };
    toolGroup.setToolConfiguration(this.toolNames.arrowAnnotate, textCallbacks);
    toolGroup.setToolConfiguration(this.toolNames.label, textCallbacks);
    toolGroup.addViewport(this.viewportId, this.renderingEngine.id);
    const { MouseBindings } = tools.Enums;
    // Fixed secondary bindings, whatever the primary tool: right drag zooms, middle drag pans, the
    // wheel scrolls; on touch screens two fingers pinch-zoom and three pan (one finger = primary tool).
    toolGroup.setToolActive(this.toolNames.zoom, {
      bindings: [{ mouseButton: MouseBindings.Secondary }, { numTouchPoints: 2 }],
    });
    toolGroup.setToolActive(this.toolNames.pan, {
      bindings: [{ mouseButton: MouseBindings.Auxiliary }, { numTouchPoints: 3 }],
    });
    toolGroup.setToolActive(this.toolNames.stackScroll, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
    for (const tool of annotationTools) toolGroup.setToolPassive(this.toolNames[tool]);
    this.setTool('windowLevel');

    this.unregisterHeaders = options.requestHeaders
      ? registerRequestHeaders((imageId) => this.imageIdSet.has(imageId), options.requestHeaders)
      : () => {};

    const onViewportEvent = () => this.scheduleInfo();
    for (const event of [
      core.Enums.Events.IMAGE_RENDERED,
      core.Enums.Events.STACK_NEW_IMAGE,
      core.Enums.Events.VOI_MODIFIED,
      core.Enums.Events.CAMERA_MODIFIED,
    ]) {
      this.listen(this.element, event, onViewportEvent);
    }
    this.listen(core.eventTarget, core.Enums.Events.IMAGE_LOADED, (event) => {
      const imageId = (event as CustomEvent<{ image?: { imageId?: string } }>).detail.image?.imageId;
      if (imageId === undefined || !this.imageIdSet.has(imageId)) return;
      this.loaded.add(imageId);
      if (this.pendingAnnotations.length > 0) this.addAnnotations(this.pendingAnnotations);
      this.scheduleInfo();
    });
    // IMAGE_LOAD_FAILED comes from the image loader, IMAGE_LOAD_ERROR from the stack viewport; in
    // Cornerstone 5.14 a failed first image can leave setStack() pending, so these events are what
    // turns a 401/404 into the error state rather than an endless "loading".
    const onLoadError = (event: Event) => {
      const detail = (event as CustomEvent<{ imageId?: string; error?: unknown }>).detail;
      if (detail.imageId === undefined || !this.imageIdSet.has(detail.imageId)) return;
      options.onError(detail.error ?? new Error('an image of the series could not be loaded'));
    };
    this.listen(core.eventTarget, core.Enums.Events.IMAGE_LOAD_FAILED, onLoadError);
    this.listen(core.eventTarget, core.Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
    const onAnnotationEvent = (event: Event) => {
      if (this.syncing) return;
      const annotation = (event as CustomEvent<{ annotation?: ToolTypes.Annotation }>).detail.annotation;
      const imageId = annotation?.metadata?.referencedImageId;
      if (imageId !== undefined && !this.imageIdSet.has(imageId)) return;
      options.onAnnotationsChange(this.getAnnotations());
    };
    for (const event of [
      tools.Enums.Events.ANNOTATION_COMPLETED,
      tools.Enums.Events.ANNOTATION_MODIFIED,
      tools.Enums.Events.ANNOTATION_REMOVED,
    ]) {
      this.listen(core.eventTarget, event, onAnnotationEvent);
    }
  }

  private listen(target: EventTarget, type: string, listener: (event: Event) => void): void {
    target.addEventListener(type, listener);
    this.removeListeners.push(() => target.removeEventListener(type, listener));
  }

  private get viewport(): CoreTypes.IStackViewport {
    return this.renderingEngine.getViewport(this.viewportId) as CoreTypes.IStackViewport;
  }

  /** The viewport commands act on: the stack, or the first volume pane (axial in MPR). */
  private get activeViewport(): CoreTypes.IViewport | undefined {
    const id = this.mode === 'stack' ? this.viewportId : this.volumeViewportIds[0];
    return id === undefined ? undefined : this.renderingEngine.getViewport(id);
  }

  private get activeElement(): HTMLDivElement {
    return (this.activeViewport?.element as HTMLDivElement | undefined) ?? this.element;
  }

  private get toolGroup() {
    return this.rt.tools.ToolGroupManager.getToolGroup(this.toolGroupId);
  }

  private enableStack(): void {
    this.renderingEngine.enableElement({
      viewportId: this.viewportId,
      type: this.rt.core.Enums.ViewportType.STACK,
      element: this.element,
      defaultOptions: { background: [0, 0, 0] as CoreTypes.Point3 },
    });
    this.toolGroup?.addViewport(this.viewportId, this.renderingEngine.id);
  }

  /** Back from MPR/MIP to a stack viewport: the volume panes and the cached volume go. */
  private leaveVolumeMode(): void {
    if (this.mode === 'stack') return;
    for (const id of this.volumeViewportIds) {
      this.toolGroup?.removeViewports(this.renderingEngine.id, id);
      this.renderingEngine.disableElement(id);
    }
    this.volumeViewportIds = [];
    this.volumeContainer?.remove();
    this.volumeContainer = undefined;
    if (this.volumeId !== undefined) this.rt.core.cache.removeVolumeLoadObject(this.volumeId);
    this.volumeId = undefined;
    this.mode = 'stack';
    if (!this.destroyed) this.enableStack();
  }

  private async showVolume(mode: Exclude<ViewMode, 'stack'>, signal: AbortSignal): Promise<void> {
    const { core } = this.rt;
    const { OrientationAxis, ViewportType, BlendModes } = core.Enums;
    this.toolGroup?.removeViewports(this.renderingEngine.id, this.viewportId);
    this.renderingEngine.disableElement(this.viewportId);
    this.mode = mode;
    const container = document.createElement('div');
    container.className = 'pacs-viewer__volume-grid';
    container.dataset.viewMode = mode;
    this.element.appendChild(container);
    this.volumeContainer = container;
    const orientations =
      mode === 'mpr'
        ? [OrientationAxis.AXIAL, OrientationAxis.SAGITTAL, OrientationAxis.CORONAL]
        : [OrientationAxis.CORONAL];
    this.volumeViewportIds = orientations.map((orientation) => `${this.viewportId}-${orientation}`);
    orientations.forEach((orientation, index) => {
      const pane = document.createElement('div');
      pane.className = 'pacs-viewer__volume-pane';
      pane.dataset.orientation = orientation;
      container.appendChild(pane);
      const viewportId = this.volumeViewportIds[index] ?? '';
      this.renderingEngine.enableElement({
        viewportId,
        type: ViewportType.ORTHOGRAPHIC,
        element: pane,
        defaultOptions: { orientation, background: [0, 0, 0] as CoreTypes.Point3 },
      });
      this.toolGroup?.addViewport(viewportId, this.renderingEngine.id);
    });
    const volumeId = `cornerstoneStreamingImageVolume:${this.toolGroupId}-${++volumeCounter}`;
    const volume = await core.volumeLoader.createAndCacheVolume(volumeId, { imageIds: this.imageIds });
    if (signal.aborted || this.destroyed) {
      core.cache.removeVolumeLoadObject(volumeId);
      return;
    }
    this.volumeId = volumeId;
    // Streams every slice through the loader's workers into the volume (no SharedArrayBuffer needed).
    (volume as unknown as { load(): void }).load();
    const [dx = 0, dy = 0, dz = 0] = volume.dimensions;
    const [sx = 1, sy = 1, sz = 1] = volume.spacing;
    // MIP: a slab as thick as the volume's diagonal, so every voxel is projected.
    const slabThickness = Math.hypot(dx * sx, dy * sy, dz * sz);
    await core.setVolumesForViewports(
      this.renderingEngine,
      [
        mode === 'mip'
          ? { volumeId, blendMode: BlendModes.MAXIMUM_INTENSITY_BLEND, slabThickness }
          : { volumeId },
      ],
      this.volumeViewportIds,
    );
    if (signal.aborted || this.destroyed) return;
    // Start from the window stored in the images (PS3.3 C.11.2 VOI LUT), as the stack does, rather
    // than Cornerstone's default for volumes (the full range of the data).
    const voi = core.metaData.get('voiLutModule', this.imageIds[0] ?? '') as
      | { windowCenter?: number | number[]; windowWidth?: number | number[] }
      | undefined;
    const center = Array.isArray(voi?.windowCenter) ? voi.windowCenter[0] : voi?.windowCenter;
    const width = Array.isArray(voi?.windowWidth) ? voi.windowWidth[0] : voi?.windowWidth;
    if (typeof center === 'number' && typeof width === 'number' && width > 0) {
      this.applyPreset({ windowCenter: center, windowWidth: width });
    }
    this.renderingEngine.renderViewports(this.volumeViewportIds);
    this.options.onFirstImage();
    this.scheduleInfo();
  }

  async showSeries(series: ViewerSeries, signal: AbortSignal, viewMode: ViewMode = 'stack'): Promise<void> {
    const { loader, tools } = this.rt;
    if (this.mode === 'stack') tools.utilities.stackPrefetch.disable(this.element);
    this.stopCine();
    this.leaveVolumeMode();
    this.forgetImageIds();
    this.imageIds = [...series.imageIds];
    this.imageIdSet = new Set(this.imageIds);
    for (const imageId of this.imageIds) liveImageIds.set(imageId, (liveImageIds.get(imageId) ?? 0) + 1);
    this.loaded = new Set();
    series.metadata?.forEach((metadata, index) => {
      const imageId = series.imageIds[index];
      if (imageId?.startsWith('wadors:')) {
        loader.wadors.metaDataManager.add(
          imageId,
          metadata as Parameters<typeof loader.wadors.metaDataManager.add>[1],
        );
      }
    });
    if (this.imageIds.length === 0) return;
    if (viewMode !== 'stack') {
      await this.showVolume(viewMode, signal);
      return;
    }
    // Progressive: setStack decodes and shows slice 0 first; prefetch then fills in around it.
    await this.viewport.setStack(this.imageIds, 0);
    if (signal.aborted || this.destroyed) return;
    this.viewport.render();
    this.options.onFirstImage();
    tools.utilities.stackPrefetch.enable(this.element);
    if (this.pendingAnnotations.length > 0) this.addAnnotations(this.pendingAnnotations);
    this.scheduleInfo();
  }

  setTool(tool: ViewerTool): void {
    const group = this.rt.tools.ToolGroupManager.getToolGroup(this.toolGroupId);
    if (!group) return;
    const { MouseBindings } = this.rt.tools.Enums;
    const previous = this.primaryTool;
    if (previous !== tool) {
      if (previous === 'zoom') {
        group.setToolActive(this.toolNames.zoom, {
          bindings: [{ mouseButton: MouseBindings.Secondary }, { numTouchPoints: 2 }],
        });
      } else if (previous === 'pan') {
        group.setToolActive(this.toolNames.pan, {
          bindings: [{ mouseButton: MouseBindings.Auxiliary }, { numTouchPoints: 3 }],
        });
      } else if (previous === 'stackScroll') {
        group.setToolActive(this.toolNames.stackScroll, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
      } else {
        group.setToolPassive(this.toolNames[previous]);
      }
    }
    const secondary =
      tool === 'zoom'
        ? [{ mouseButton: MouseBindings.Secondary }, { numTouchPoints: 2 }]
        : tool === 'pan'
          ? [{ mouseButton: MouseBindings.Auxiliary }, { numTouchPoints: 3 }]
          : tool === 'stackScroll'
            ? [{ mouseButton: MouseBindings.Wheel }]
            : [];
    group.setToolActive(this.toolNames[tool], {
      bindings: [{ mouseButton: MouseBindings.Primary }, { numTouchPoints: 1 }, ...secondary],
    });
    this.primaryTool = tool;
  }

  run(command: ViewerCommand): void {
    const viewport = this.activeViewport as
      | (CoreTypes.IViewport & {
          getProperties(): { invert?: boolean };
          setProperties(properties: { invert?: boolean }): void;
          resetProperties(): void;
        })
      | undefined;
    if (this.imageIds.length === 0 || viewport === undefined) return;
    switch (command.type) {
      case 'tool':
        this.setTool(command.tool);
        return;
      case 'scroll':
        if (this.mode === 'stack') this.jumpTo(this.viewport.getCurrentImageIdIndex() + command.delta);
        else this.rt.core.utilities.scroll(viewport, { delta: command.delta });
        return;
      case 'first':
        if (this.mode === 'stack') this.jumpTo(0);
        return;
      case 'last':
        if (this.mode === 'stack') this.jumpTo(this.imageIds.length - 1);
        return;
      case 'invert':
        viewport.setProperties({ invert: !viewport.getProperties().invert });
        break;
      case 'flipHorizontal':
        viewport.setCamera({ flipHorizontal: !viewport.getCamera().flipHorizontal });
        break;
      case 'flipVertical':
        viewport.setCamera({ flipVertical: !viewport.getCamera().flipVertical });
        break;
      case 'rotate':
        viewport.setViewPresentation({ rotation: (viewport.getRotation() + command.degrees + 360) % 360 });
        break;
      case 'reset':
        this.stopCine();
        viewport.resetCamera();
        viewport.resetProperties();
        break;
      case 'cine':
        if (this.cine) this.stopCine();
        else {
          this.rt.tools.utilities.cine.playClip(this.activeElement, { framesPerSecond: 12, loop: true });
          this.cine = true;
        }
        this.scheduleInfo();
        return;
      case 'preset':
        // Presets depend on the modality; DicomViewer.Root resolves them and calls applyPreset.
        return;
      default:
        command satisfies never;
    }
    viewport.render();
  }

  private jumpTo(index: number): void {
    const clamped = Math.max(0, Math.min(this.imageIds.length - 1, index));
    void this.viewport.setImageIdIndex(clamped).catch((error: unknown) => {
      if (!this.destroyed) this.options.onError(error);
    });
  }

  private stopCine(): void {
    if (!this.cine) return;
    this.rt.tools.utilities.cine.stopClip(this.activeElement);
    this.cine = false;
  }

  applyPreset(preset: Pick<WindowLevelPreset, 'windowWidth' | 'windowCenter'>): void {
    if (this.imageIds.length === 0) return;
    const ids = this.mode === 'stack' ? [this.viewportId] : this.volumeViewportIds;
    for (const id of ids) {
      const viewport = this.renderingEngine.getViewport(id) as
        | (CoreTypes.IViewport & { setProperties(p: { voiRange: { lower: number; upper: number } }): void })
        | undefined;
      viewport?.setProperties({ voiRange: presetToRange(preset) });
    }
    this.renderingEngine.renderViewports(ids);
  }

  private scheduleInfo(): void {
    if (this.infoFrame !== 0 || this.destroyed) return;
    const emit = () => {
      this.infoFrame = 0;
      if (!this.destroyed) this.options.onViewportChange(this.readInfo());
    };
    this.infoFrame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(emit) : 0;
    if (this.infoFrame === 0) emit();
  }

  private readInfo(): ViewportInfo {
    if (this.imageIds.length === 0) return emptyViewportInfo;
    if (this.mode !== 'stack') return this.readVolumeInfo();
    const viewport = this.viewport;
    const { metaData } = this.rt.core;
    const imageIndex = viewport.getCurrentImageIdIndex();
    const imageId = this.imageIds[imageIndex];
    const properties = viewport.getProperties();
    const camera = viewport.getCamera();
    const range = properties.voiRange;
    const series = imageId
      ? (metaData.get('generalSeriesModule', imageId) as { modality?: string } | undefined)
      : undefined;
    const pixel = imageId
      ? (metaData.get('imagePixelModule', imageId) as { rows?: number; columns?: number } | undefined)
      : undefined;
    return {
      imageIndex,
      imageCount: this.imageIds.length,
      windowWidth: range ? range.upper - range.lower : undefined,
      windowCenter: range ? (range.upper + range.lower) / 2 : undefined,
      zoom: viewport.getZoom(),
      rotation: viewport.getRotation(),
      flipHorizontal: camera.flipHorizontal ?? false,
      flipVertical: camera.flipVertical ?? false,
      invert: properties.invert ?? false,
      modality: series?.modality,
      rows: pixel?.rows,
      columns: pixel?.columns,
      loadedCount: this.loaded.size,
      cine: this.cine,
      viewMode: 'stack',
    };
  }

  private readVolumeInfo(): ViewportInfo {
    const { core } = this.rt;
    const viewport = this.activeViewport;
    if (!(viewport instanceof core.VolumeViewport)) {
      return { ...emptyViewportInfo, imageCount: this.imageIds.length, viewMode: this.mode };
    }
    const properties = viewport.getProperties() ?? {};
    const range = properties.voiRange;
    const camera = viewport.getCamera();
    const imageId = this.imageIds[0];
    const series = imageId
      ? (core.metaData.get('generalSeriesModule', imageId) as { modality?: string } | undefined)
      : undefined;
    return {
      imageIndex: viewport.getSliceIndex(),
      imageCount: viewport.getNumberOfSlices(),
      windowWidth: range ? range.upper - range.lower : undefined,
      windowCenter: range ? (range.upper + range.lower) / 2 : undefined,
      zoom: viewport.getZoom(),
      rotation: viewport.getRotation(),
      flipHorizontal: camera.flipHorizontal ?? false,
      flipVertical: camera.flipVertical ?? false,
      invert: properties.invert ?? false,
      modality: series?.modality,
      loadedCount: this.loaded.size,
      cine: this.cine,
      viewMode: this.mode,
    };
  }

  getAnnotations(): ViewerAnnotation[] {
    const { annotation } = this.rt.tools;
    const { utilities, metaData } = this.rt.core;
    const result: ViewerAnnotation[] = [];
    for (const item of annotation.state.getAllAnnotations()) {
      const imageId = item.metadata?.referencedImageId;
      const tool = this.viewerToolByName.get(item.metadata?.toolName ?? '');
      if (imageId === undefined || !this.imageIdSet.has(imageId) || tool === undefined) continue;
      if (!annotationTools.has(tool) || item.annotationUID === undefined) continue;
      const points: Array<[number, number]> = [];
      for (const world of item.data.handles?.points ?? []) {
        const image = utilities.worldToImageCoords(imageId, world);
        if (image) points.push([image[0], image[1]]);
      }
      const data = item.data as { text?: string; label?: string; cachedStats?: Record<string, unknown> };
      const measurements: Record<string, number> = {};
      for (const stats of Object.values(data.cachedStats ?? {})) {
        if (typeof stats !== 'object' || stats === null) continue;
        for (const key of measurementKeys) {
          const value = (stats as Record<string, unknown>)[key];
          if (typeof value === 'number' && Number.isFinite(value)) measurements[key] = value;
        }
      }
      const sop = metaData.get('sopCommonModule', imageId) as { sopInstanceUID?: string } | undefined;
      const text = data.text ?? (data.label || undefined);
      result.push({
        annotationUID: item.annotationUID,
        tool: tool as AnnotationToolName,
        imageId,
        ...(sop?.sopInstanceUID ? { sopInstanceUID: sop.sopInstanceUID } : {}),
        points,
        ...(text !== undefined ? { text } : {}),
        ...(Object.keys(measurements).length > 0 ? { measurements } : {}),
      });
    }
    return result;
  }

  setAnnotations(annotations: readonly ViewerAnnotation[]): void {
    const { annotation } = this.rt.tools;
    const wanted = new Set(annotations.map((a) => a.annotationUID));
    this.syncing = true;
    try {
      for (const item of annotation.state.getAllAnnotations()) {
        const imageId = item.metadata?.referencedImageId;
        if (imageId === undefined || !this.imageIdSet.has(imageId) || item.annotationUID === undefined)
          continue;
        if (!wanted.has(item.annotationUID)) annotation.state.removeAnnotation(item.annotationUID);
      }
    } finally {
      this.syncing = false;
    }
    this.addAnnotations(annotations);
  }

  private addAnnotations(annotations: readonly ViewerAnnotation[]): void {
    const { annotation } = this.rt.tools;
    const { utilities, metaData } = this.rt.core;
    const pending: ViewerAnnotation[] = [];
    let added = false;
    this.syncing = true;
    try {
      for (const item of annotations) {
        if (annotation.state.getAnnotation(item.annotationUID)) continue;
        const plane = metaData.get('imagePlaneModule', item.imageId) as
          | { rowCosines?: number[]; columnCosines?: number[]; frameOfReferenceUID?: string }
          | undefined;
        if (!plane?.rowCosines || !plane.columnCosines) {
          pending.push(item); // the frame's geometry is known once it has loaded
          continue;
        }
        const [r0 = 1, r1 = 0, r2 = 0] = plane.rowCosines;
        const [c0 = 0, c1 = 1, c2 = 0] = plane.columnCosines;
        // The normal of the image plane (PS3.3 C.7.6.2.1.1): row × column direction cosines.
        const viewPlaneNormal: CoreTypes.Point3 = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0];
        const worldPoints = item.points.map(([column, row]) =>
          utilities.imageToWorldCoords(item.imageId, [column, row]),
        );
        const textBoxWorld = worldPoints[worldPoints.length - 1] ?? [0, 0, 0];
        const data: Record<string, unknown> = {
          handles: {
            points: worldPoints,
            activeHandleIndex: null,
            textBox: {
              hasMoved: false,
              worldPosition: [...textBoxWorld],
              worldBoundingBox: {
                topLeft: [0, 0, 0],
                topRight: [0, 0, 0],
                bottomLeft: [0, 0, 0],
                bottomRight: [0, 0, 0],
              },
            },
          },
          cachedStats: {},
          label: '',
        };
        if (item.text !== undefined) data.text = item.text;
        annotation.state.addAnnotation(
          {
            annotationUID: item.annotationUID,
            highlighted: false,
            invalidated: true,
            isLocked: false,
            isVisible: true,
            metadata: {
              toolName: this.toolNames[item.tool],
              referencedImageId: item.imageId,
              FrameOfReferenceUID: plane.frameOfReferenceUID ?? '',
              viewPlaneNormal,
            },
            data: data as ToolTypes.Annotation['data'],
          },
          this.element,
        );
        added = true;
      }
    } finally {
      this.syncing = false;
    }
    this.pendingAnnotations = pending;
    if (added && this.imageIds.length > 0) {
      this.rt.tools.utilities.triggerAnnotationRenderForViewportIds([this.viewportId]);
    }
  }

  addLocalFiles(files: readonly File[]): string[] {
    return files.map((file) => this.rt.loader.wadouri.fileManager.add(file));
  }

  resize(): void {
    if (!this.destroyed) this.renderingEngine.resize(true, true);
  }

  private forgetImageIds(): void {
    const { annotation } = this.rt.tools;
    const orphaned = new Set<string>();
    for (const imageId of this.imageIds) {
      const count = (liveImageIds.get(imageId) ?? 1) - 1;
      if (count <= 0) {
        liveImageIds.delete(imageId);
        orphaned.add(imageId);
      } else liveImageIds.set(imageId, count);
    }
    if (orphaned.size === 0) return;
    this.syncing = true;
    try {
      for (const item of annotation.state.getAllAnnotations()) {
        const imageId = item.metadata?.referencedImageId;
        if (imageId !== undefined && orphaned.has(imageId) && item.annotationUID !== undefined) {
          annotation.state.removeAnnotation(item.annotationUID);
        }
      }
    } finally {
      this.syncing = false;
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.infoFrame !== 0 && typeof cancelAnimationFrame === 'function')
      cancelAnimationFrame(this.infoFrame);
    const { tools } = this.rt;
    // Cancel work: no more prefetch or cine for this element, then free the GPU side.
    if (this.mode === 'stack') tools.utilities.stackPrefetch.disable(this.element);
    this.stopCine();
    this.leaveVolumeMode();
    for (const remove of this.removeListeners.splice(0)) remove();
    this.unregisterHeaders();
    this.forgetImageIds();
    this.imageIds = [];
    this.imageIdSet = new Set();
    tools.ToolGroupManager.destroyToolGroup(this.toolGroupId);
    const contexts = webGLContextsOf(this.renderingEngine);
    this.renderingEngine.destroy();
    // Cornerstone 5.14 deletes its vtk.js render windows on destroy but never releases their WebGL
    // contexts, so they live until garbage collection and Chromium starts dropping the oldest live
    // contexts (its limit is 16): after a few mount/unmount cycles new viewers would go black.
    for (const context of contexts) context.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
