/**
 * The interaction tools a `<DicomViewer>` offers. Names are PacsKit's own (stable across Cornerstone
 * versions); the engine maps each to a Cornerstone3D tool.
 */
export type ViewerTool =
  | 'windowLevel'
  | 'zoom'
  | 'pan'
  | 'stackScroll'
  | 'length'
  | 'angle'
  | 'ellipticalRoi'
  | 'rectangleRoi'
  | 'probe'
  | 'arrowAnnotate'
  | 'label';

/** Every tool, in toolbar order. */
export const viewerTools: readonly ViewerTool[] = [
  'windowLevel',
  'zoom',
  'pan',
  'stackScroll',
  'length',
  'angle',
  'ellipticalRoi',
  'rectangleRoi',
  'probe',
  'arrowAnnotate',
  'label',
];

/** Tools that create measurements or annotations (they go through `onAnnotationsChange`). */
export const annotationTools: ReadonlySet<ViewerTool> = new Set<ViewerTool>([
  'length',
  'angle',
  'ellipticalRoi',
  'rectangleRoi',
  'probe',
  'arrowAnnotate',
  'label',
]);

/** Button labels (English; pass `labels` to the toolbar to translate). */
export const viewerToolLabels: Readonly<Record<ViewerTool, string>> = {
  windowLevel: 'Window/level',
  zoom: 'Zoom',
  pan: 'Pan',
  stackScroll: 'Scroll',
  length: 'Length',
  angle: 'Angle',
  ellipticalRoi: 'Ellipse ROI',
  rectangleRoi: 'Rectangle ROI',
  probe: 'Probe',
  arrowAnnotate: 'Arrow',
  label: 'Text',
};

export function isViewerTool(value: string): value is ViewerTool {
  return (viewerTools as readonly string[]).includes(value);
}
