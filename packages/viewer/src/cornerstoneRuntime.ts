// Loads and initialises Cornerstone3D once per page, on first use (so importing @pacskit/viewer costs
// nothing until a viewer mounts). Everything Cornerstone-specific stays in this file and
// cornerstoneViewerEngine.ts.
import type { RequestHeadersProvider } from './viewerEngine.js';

export type CornerstoneCore = typeof import('@cornerstonejs/core');
export type CornerstoneTools = typeof import('@cornerstonejs/tools');
export type CornerstoneLoader = typeof import('@cornerstonejs/dicom-image-loader');

export interface CornerstoneRuntime {
  core: CornerstoneCore;
  tools: CornerstoneTools;
  loader: CornerstoneLoader;
}

/** Which viewer's auth applies to an image request: the loader has one global `beforeSend` hook. */
const headerProviders = new Map<
  symbol,
  { owns(imageId: string): boolean; provider: RequestHeadersProvider }
>();

export function registerRequestHeaders(
  owns: (imageId: string) => boolean,
  provider: RequestHeadersProvider,
): () => void {
  const key = Symbol('pacs-viewer-headers');
  headerProviders.set(key, { owns, provider });
  return () => headerProviders.delete(key);
}

async function headersFor(imageId: string, url: string): Promise<Record<string, string>> {
  for (const { owns, provider } of headerProviders.values()) {
    if (owns(imageId)) return (await provider(url)) ?? {};
  }
  return {};
}

let runtime: Promise<CornerstoneRuntime> | undefined;

export function loadCornerstone(): Promise<CornerstoneRuntime> {
  runtime ??= initialise().catch((error: unknown) => {
    runtime = undefined; // let the next mount retry (e.g. after a chunk failed to download)
    throw error;
  });
  return runtime;
}

async function initialise(): Promise<CornerstoneRuntime> {
  const [core, tools, loader] = await Promise.all([
    import('@cornerstonejs/core'),
    import('@cornerstonejs/tools'),
    import('@cornerstonejs/dicom-image-loader'),
  ]);
  // One WebGL context per rendering engine (each viewer has its own engine): Cornerstone's default
  // pool of 7 per engine exhausts Chromium's limit of 16 live contexts with just three viewers.
  core.init({ rendering: { webGlContextCount: 1 }, debug: {} });
  // MPR/MIP: volumes stream their slices through the image loader (no SharedArrayBuffer required).
  core.volumeLoader.registerVolumeLoader(
    'cornerstoneStreamingImageVolume',
    core.cornerstoneStreamingImageVolumeLoader as unknown as Parameters<
      typeof core.volumeLoader.registerVolumeLoader
    >[1],
  );
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  loader.init({
    // Workers are shared by every viewer on the page and live as long as it does (bounded, not per mount).
    maxWebWorkers: Math.max(1, Math.min(4, Math.floor(cores / 2))),
    beforeSend: async (_xhr, imageId, defaultHeaders, params) => ({
      ...defaultHeaders,
      ...(await headersFor(imageId, params.url ?? imageId)),
    }),
  });
  tools.init();
  for (const tool of [
    tools.WindowLevelTool,
    tools.ZoomTool,
    tools.PanTool,
    tools.StackScrollTool,
    tools.LengthTool,
    tools.AngleTool,
    tools.EllipticalROITool,
    tools.RectangleROITool,
    tools.ProbeTool,
    tools.ArrowAnnotateTool,
    tools.LabelTool,
  ]) {
    tools.addTool(tool);
  }
  return { core, tools, loader };
}
