import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { axe } from 'vitest-axe';
import { renderWithPacs } from '../../test/render.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { StudyDetail } from './StudyDetail.js';

// Cornerstone cannot run under jsdom (no WebGL, no Worker): the viewer is mocked, and the mock
// records what the lazy loader handed it.
const viewerProps = vi.hoisted(() => ({ series: [] as unknown[], loads: 0 }));
vi.mock('@pacskit/viewer', () => ({
  // Counts module loads: the viewer must be imported only when a user opens it.
  loaded: viewerProps.loads++,
  DicomViewer: {
    Root: (props: { series: unknown[]; children: unknown; 'aria-label'?: string }) => {
      viewerProps.series = props.series;
      return (
        <div role="application" aria-label={props['aria-label']}>
          {props.children as never}
        </div>
      );
    },
    Toolbar: (props: { labels?: Record<string, string> }) => (
      <div>{props.labels?.windowLevel ?? 'toolbar'}</div>
    ),
    SeriesBrowser: () => null,
    Viewport: () => <div>viewport</div>,
  },
}));

const ctStudyUID = '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322';

describe('StudyDetail', () => {
  it('asks for a selection when no study is given', () => {
    renderWithPacs(<StudyDetail.Root studyInstanceUID={undefined} />, createFixtureAdapter());
    expect(screen.getByText('Select a study to see its series.')).toBeInTheDocument();
  });

  it('shows the study and its series with a thumbnail, and passes axe', async () => {
    const { container } = renderWithPacs(
      <StudyDetail.Root studyInstanceUID={ctStudyUID} />,
      createFixtureAdapter(),
    );
    await waitFor(() => expect(container.querySelector('img.pacs-thumb')).not.toBeNull());
    const thumbnail = screen.getByRole('img', { name: /Preview of series/ });
    expect(thumbnail.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(screen.getByText(/CT1 CompressedSamples/)).toBeInTheDocument();
    expect(await axe(container)).toHaveNoViolations();
  });

  it('opens the lazily loaded viewer with the image ids the client builds', async () => {
    renderWithPacs(
      <StudyDetail.Root studyInstanceUID={ctStudyUID} />,
      createFixtureAdapter({ imageBaseUrl: '/dicom/' }),
    );
    const open = await screen.findByRole('button', { name: 'Open viewer' });
    await screen.findByRole('img', { name: /Preview of series/ });
    expect(viewerProps.loads).toBe(0);
    await userEvent.click(open);
    const viewer = await screen.findByRole('application', { name: 'Image viewer' });
    expect(within(viewer).getByText('viewport')).toBeInTheDocument();
    expect(viewerProps.loads).toBe(1);
    expect(viewerProps.series).toEqual([
      expect.objectContaining({ imageIds: ['wadouri:/dicom/CT_small.dcm'], modality: 'CT' }),
    ]);
    expect(screen.getByRole('button', { name: 'Close viewer' })).toHaveAttribute('aria-expanded', 'true');
  });

  it("translates the viewer's own texts", async () => {
    renderWithPacs(
      <StudyDetail.Root studyInstanceUID={ctStudyUID} defaultViewerOpen />,
      createFixtureAdapter({ imageBaseUrl: '/dicom/' }),
      { locale: 'fr' },
    );
    const viewer = await screen.findByRole('application', { name: "Visionneuse d'images" });
    expect(within(viewer).getByText('Fenêtrage')).toBeInTheDocument();
  });

  it('says NOT_SUPPORTED when the client cannot build image ids', async () => {
    renderWithPacs(
      <StudyDetail.Root studyInstanceUID={ctStudyUID} defaultViewerOpen />,
      createFixtureAdapter(),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('NOT_SUPPORTED');
  });

  it('shows NOT_FOUND for an unknown study', async () => {
    renderWithPacs(<StudyDetail.Root studyInstanceUID="1.2.3" />, createFixtureAdapter());
    const alerts = await screen.findAllByRole('alert');
    expect(alerts[0]).toHaveTextContent('NOT_FOUND');
  });
});
