import type { ViewerTool } from './viewerTool.js';

/**
 * A measurement or annotation, in image-space coordinates: each point is `[column, row]` in pixels of
 * the referenced frame (PS3.3 C.10.5.1.2 Graphic Data uses the same convention, with PIXEL units), so
 * it can be stored by any archive and redrawn on any screen. The viewer knows no server: it takes
 * these through `annotations` and hands changes to `onAnnotationsChange`.
 */
export interface ViewerAnnotation {
  /** Stable id (a UUID); keep it when saving so edits replace rather than duplicate. */
  annotationUID: string;
  tool: Exclude<ViewerTool, 'windowLevel' | 'zoom' | 'pan' | 'stackScroll'>;
  /** The image ID of the frame the annotation was drawn on (one of the viewer's `imageIds`). */
  imageId: string;
  /** SOP Instance UID of that frame, when the metadata gave one. */
  sopInstanceUID?: string;
  points: Array<[column: number, row: number]>;
  /** Text of an arrow or text annotation. */
  text?: string;
  /**
   * Read-only results the viewer computed (ignored on input): `length` (mm), `angle` (degrees),
   * `area` (mm²), `mean`, `stdDev`, `min`, `max` (modality units), `value` (probe).
   */
  measurements?: Record<string, number>;
}
