import type { ViewerAnnotation } from '@pacskit/viewer';
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithPacs } from '../../test/render.js';
import { StudyDetail } from '../dashboard/StudyDetail.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { createFixtureWorkflow } from '../testing/createFixtureWorkflow.js';

// The viewer mock exposes the controlled annotations and the change callback it was given.
const viewer = vi.hoisted(() => ({
  annotations: undefined as readonly ViewerAnnotation[] | undefined,
  change: undefined as ((annotations: ViewerAnnotation[]) => void) | undefined,
}));
vi.mock('@pacskit/viewer', () => ({
  DicomViewer: {
    Root: (props: {
      annotations?: readonly ViewerAnnotation[];
      onAnnotationsChange?: (annotations: ViewerAnnotation[]) => void;
      children: unknown;
    }) => {
      viewer.annotations = props.annotations;
      viewer.change = props.onAnnotationsChange;
      return <div role="application">{props.children as never}</div>;
    },
    Toolbar: () => null,
    SeriesBrowser: () => null,
    Viewport: () => null,
  },
}));

const ctStudyUID = '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322';
const ctSopUID = '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322';

describe('useViewerAnnotations (viewer ⇄ archive annotations API)', () => {
  it('saves a new measurement, shows it back with its archive id, and deletes it', async () => {
    const workflow = createFixtureWorkflow();
    renderWithPacs(
      <StudyDetail.Root studyInstanceUID={ctStudyUID} defaultViewerOpen />,
      createFixtureAdapter({ imageBaseUrl: '/dicom/' }),
      { workflow },
    );
    await screen.findByRole('application');
    await waitFor(() => expect(viewer.annotations).toEqual([]));
    const drawn: ViewerAnnotation = {
      annotationUID: 'viewer-uuid-1',
      tool: 'length',
      imageId: 'wadouri:/dicom/CT_small.dcm',
      sopInstanceUID: ctSopUID,
      points: [
        [10, 20],
        [40, 60],
      ],
      measurements: { length: 12.5 },
    };
    act(() => viewer.change!([drawn]));
    await waitFor(() => expect(viewer.annotations).toHaveLength(1));
    const saved = await workflow.annotations.list({ studyInstanceUID: ctStudyUID });
    expect(saved[0]).toMatchObject({
      kind: 'length',
      sopInstanceUID: ctSopUID,
      measurement: { value: 12.5, unit: 'mm' },
    });
    expect(viewer.annotations![0]).toMatchObject({
      annotationUID: saved[0]!.id,
      tool: 'length',
      points: drawn.points,
    });
    act(() => viewer.change!([]));
    await waitFor(() => expect(viewer.annotations).toEqual([]));
    expect(await workflow.annotations.list({ studyInstanceUID: ctStudyUID })).toEqual([]);
  });

  it('leaves the viewer uncontrolled without a workflow client', async () => {
    renderWithPacs(
      <StudyDetail.Root studyInstanceUID={ctStudyUID} defaultViewerOpen />,
      createFixtureAdapter({ imageBaseUrl: '/dicom/' }),
    );
    await screen.findByRole('application');
    expect(viewer.annotations).toBeUndefined();
    expect(viewer.change).toBeUndefined();
  });
});
