import type { Annotation, AnnotationKind, SaveAnnotationInput } from '@pacskit/sdk';
import type { ViewerAnnotation, ViewerSeries } from '@pacskit/viewer';
import { useCallback, useMemo } from 'react';
import { useAnnotations, useDeleteAnnotation, useSaveAnnotation } from '../workflow/useAnnotations.js';
import { useWorkflowClient } from '../workflow/useWorkflowClient.js';

type AnnotationTool = ViewerAnnotation['tool'];

/** Viewer tools the archive can store (apps/archive-server AnnotationKind); `probe` has no kind. */
const kindOfTool: Partial<Record<AnnotationTool, AnnotationKind>> = {
  length: 'length',
  angle: 'angle',
  ellipticalRoi: 'ellipse',
  rectangleRoi: 'roi',
  arrowAnnotate: 'arrow',
  label: 'text',
};
const toolOfKind: Record<AnnotationKind, AnnotationTool> = {
  length: 'length',
  angle: 'angle',
  ellipse: 'ellipticalRoi',
  circle: 'ellipticalRoi',
  roi: 'rectangleRoi',
  arrow: 'arrowAnnotate',
  text: 'label',
};
const measurementUnits: [key: string, unit: string][] = [
  ['length', 'mm'],
  ['angle', 'deg'],
  ['area', 'mm2'],
];

function toViewer(annotation: Annotation, series: readonly ViewerSeries[]): ViewerAnnotation | undefined {
  const owner = series.find((item) => item.seriesInstanceUID === annotation.seriesInstanceUID);
  if (!owner || owner.imageIds.length === 0) return undefined;
  // The image ID of the annotated instance: WADO-RS and WADO-URI IDs both carry the SOP Instance UID;
  // a one-image series (local or fixture files) has only one candidate.
  const imageId =
    owner.imageIds.find((id) => id.includes(annotation.sopInstanceUID)) ??
    (owner.imageIds.length === 1 ? owner.imageIds[0] : undefined);
  if (!imageId) return undefined;
  return {
    annotationUID: annotation.id,
    tool: toolOfKind[annotation.kind],
    imageId,
    sopInstanceUID: annotation.sopInstanceUID,
    points: annotation.points,
    ...(annotation.text ? { text: annotation.text } : {}),
  };
}

function toArchive(
  annotation: ViewerAnnotation,
  studyInstanceUID: string,
  series: readonly ViewerSeries[],
  archiveId: string | undefined,
): SaveAnnotationInput | undefined {
  const kind = kindOfTool[annotation.tool];
  const owner = series.find((item) => item.imageIds.includes(annotation.imageId));
  if (!kind || !owner || !annotation.sopInstanceUID) return undefined;
  const measured = measurementUnits.find(([key]) => annotation.measurements?.[key] !== undefined);
  return {
    ...(archiveId ? { id: archiveId } : {}),
    studyInstanceUID,
    seriesInstanceUID: owner.seriesInstanceUID,
    sopInstanceUID: annotation.sopInstanceUID,
    kind,
    points: annotation.points,
    ...(annotation.text ? { text: annotation.text } : {}),
    ...(measured
      ? { measurement: { value: annotation.measurements![measured[0]]!, unit: measured[1] } }
      : {}),
  };
}

const samePoints = (a: ViewerAnnotation['points'], b: ViewerAnnotation['points']) =>
  a.length === b.length &&
  a.every((point, index) => point[0] === b[index]?.[0] && point[1] === b[index]?.[1]);

/**
 * Connects the viewer's controlled `annotations` / `onAnnotationsChange` to the archive's
 * annotations API: saved annotations are shown, new or moved ones saved, removed ones deleted.
 * Undefined without a workflow client with annotations (the viewer then keeps them locally).
 */
export function useViewerAnnotations(
  studyInstanceUID: string,
  series: readonly ViewerSeries[],
):
  | { annotations: ViewerAnnotation[]; onAnnotationsChange: (annotations: ViewerAnnotation[]) => void }
  | undefined {
  const workflow = useWorkflowClient();
  const enabled = Boolean(workflow?.annotations);
  const stored = useAnnotations(enabled ? studyInstanceUID : undefined);
  const save = useSaveAnnotation();
  const remove = useDeleteAnnotation();
  const annotations = useMemo(
    () =>
      (stored.data ?? []).flatMap((annotation) => {
        const shown = toViewer(annotation, series);
        return shown ? [shown] : [];
      }),
    [stored.data, series],
  );
  const onAnnotationsChange = useCallback(
    (next: ViewerAnnotation[]) => {
      const current = new Map(annotations.map((annotation) => [annotation.annotationUID, annotation]));
      for (const annotation of next) {
        const before = current.get(annotation.annotationUID);
        current.delete(annotation.annotationUID);
        if (before && samePoints(before.points, annotation.points) && before.text === annotation.text)
          continue;
        const input = toArchive(
          annotation,
          studyInstanceUID,
          series,
          before ? annotation.annotationUID : undefined,
        );
        if (input) save.mutate(input);
      }
      for (const gone of current.values()) remove.mutate({ id: gone.annotationUID, studyInstanceUID });
    },
    [annotations, series, studyInstanceUID, save, remove],
  );
  if (!enabled) return undefined;
  return { annotations, onAnnotationsChange };
}
