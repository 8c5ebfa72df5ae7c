import { PacsError } from '@pacskit/dicom';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { StrictMode, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { axe } from 'vitest-axe';
import { fakeEngineFactory } from '../test/fakeViewerEngine.ts';
import { DicomViewer } from './DicomViewer.js';
import type { ViewerAnnotation } from './viewerAnnotation.js';
import type { ViewerTool } from './viewerTool.js';
import { emptyViewportInfo } from './viewportInfo.js';

const imageIds = ['wadouri:/a/1.dcm', 'wadouri:/a/2.dcm', 'wadouri:/a/3.dcm'];

function Viewer(props: Partial<Parameters<typeof DicomViewer.Root>[0]>) {
  return (
    <DicomViewer.Root {...props}>
      <DicomViewer.Toolbar />
      <DicomViewer.SeriesBrowser />
      <DicomViewer.Viewport>
        <DicomViewer.Overlay />
      </DicomViewer.Viewport>
    </DicomViewer.Root>
  );
}

function ControlledTool(props: {
  create: NonNullable<Parameters<typeof DicomViewer.Root>[0]['createEngine']>;
}) {
  const [tool, setTool] = useState<ViewerTool>('zoom');
  return <Viewer createEngine={props.create} imageIds={imageIds} tool={tool} onToolChange={setTool} />;
}

function root(): HTMLElement {
  return screen.getByRole('region', { name: 'DICOM viewer' });
}

describe('DicomViewer parts', () => {
  it.each([
    ['Viewport', <DicomViewer.Viewport key="v" />],
    ['Toolbar', <DicomViewer.Toolbar key="t" />],
    ['SeriesBrowser', <DicomViewer.SeriesBrowser key="s" />],
    ['Overlay', <DicomViewer.Overlay key="o" />],
  ])('%s outside Root throws a Radix-style error', (part, element) => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(element)).toThrow(`\`DicomViewer.${part}\` must be used within \`DicomViewer.Root\``);
  });

  it('is empty without images and says so', async () => {
    const { create } = fakeEngineFactory();
    render(<Viewer createEngine={create} />);
    expect(root()).toHaveAttribute('data-state', 'empty');
    expect(screen.getByRole('status')).toHaveTextContent('No images. Drop DICOM files here or open them.');
  });

  it('loads the series into the engine and becomes ready', async () => {
    const { create, engines } = fakeEngineFactory();
    const onFirstImage = vi.fn();
    render(<Viewer createEngine={create} imageIds={imageIds} onFirstImage={onFirstImage} />);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect(engines).toHaveLength(1);
    expect(engines[0]?.showSeries).toHaveBeenCalledTimes(1);
    expect(engines[0]?.showSeries.mock.calls[0]?.[0].imageIds).toEqual(imageIds);
    expect(onFirstImage).toHaveBeenCalledTimes(1);
  });

  it('shows loading until the engine reports the first image', async () => {
    let finish: () => void = () => {};
    const { create, engines } = fakeEngineFactory((engine) => {
      engine.showSeries.mockImplementation(
        () =>
          new Promise<void>((resolve) => {
            finish = () => {
              engine.options.onFirstImage();
              resolve();
            };
          }),
      );
    });
    render(<Viewer createEngine={create} imageIds={imageIds} />);
    await waitFor(() => expect(engines[0]?.showSeries).toHaveBeenCalled());
    expect(root()).toHaveAttribute('data-state', 'loading');
    expect(screen.getByRole('status')).toHaveTextContent('Loading images…');
    act(() => finish());
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
  });

  it('shows the PacsError code and retries on error', async () => {
    const { create, engines } = fakeEngineFactory((engine) => {
      engine.showSeries.mockRejectedValueOnce({ status: 401 });
    });
    const onError = vi.fn();
    render(<Viewer createEngine={create} imageIds={imageIds} onError={onError} />);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'error'));
    expect(screen.getByText('UNAUTHENTICATED')).toBeInTheDocument();
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(PacsError);
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect(engines[0]?.showSeries).toHaveBeenCalledTimes(2);
  });

  it('destroys the engine on unmount and survives StrictMode double mounting', async () => {
    const { create, engines } = fakeEngineFactory();
    const view = render(
      <StrictMode>
        <Viewer createEngine={create} imageIds={imageIds} />
      </StrictMode>,
    );
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    const live = engines.filter((engine) => engine.destroy.mock.calls.length === 0);
    expect(live).toHaveLength(1);
    view.unmount();
    expect(engines.every((engine) => engine.destroy.mock.calls.length === 1)).toBe(true);
  });
});

describe('DicomViewer tools', () => {
  it('switches the tool when uncontrolled and marks it active', async () => {
    const { create, engines } = fakeEngineFactory();
    render(<Viewer createEngine={create} imageIds={imageIds} />);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    const length = screen.getByRole('button', { name: 'Length' });
    expect(length).toHaveAttribute('data-state', 'inactive');
    expect(screen.getByRole('button', { name: 'Window/level' })).toHaveAttribute('data-state', 'active');
    await userEvent.click(length);
    expect(length).toHaveAttribute('data-state', 'active');
    expect(length).toHaveAttribute('aria-pressed', 'true');
    expect(engines[0]?.setTool).toHaveBeenLastCalledWith('length');
  });

  it('only reports the tool when controlled', async () => {
    const { create } = fakeEngineFactory();
    const onToolChange = vi.fn();
    render(<Viewer createEngine={create} imageIds={imageIds} tool="pan" onToolChange={onToolChange} />);
    await userEvent.click(screen.getByRole('button', { name: 'Zoom' }));
    expect(onToolChange).toHaveBeenCalledWith('zoom');
    expect(screen.getByRole('button', { name: 'Pan' })).toHaveAttribute('data-state', 'active');
    expect(screen.getByRole('button', { name: 'Zoom' })).toHaveAttribute('data-state', 'inactive');
  });

  it('follows a controlled tool', async () => {
    const { create } = fakeEngineFactory();
    render(<ControlledTool create={create} />);
    await userEvent.click(screen.getByRole('button', { name: 'Angle' }));
    expect(screen.getByRole('button', { name: 'Angle' })).toHaveAttribute('data-state', 'active');
    expect(root()).toHaveAttribute('data-tool', 'angle');
  });

  it('runs keyboard shortcuts in the focused viewport', async () => {
    const { create, engines } = fakeEngineFactory();
    render(<Viewer createEngine={create} imageIds={imageIds} />);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    const viewport = screen.getByRole('application', { name: /Image 1 of|No image/ });
    viewport.focus();
    await userEvent.keyboard('l');
    expect(screen.getByRole('button', { name: 'Length' })).toHaveAttribute('data-state', 'active');
    await userEvent.keyboard('{ArrowDown}');
    expect(engines[0]?.run).toHaveBeenLastCalledWith({ type: 'scroll', delta: 1 });
    await userEvent.keyboard('i');
    expect(engines[0]?.run).toHaveBeenLastCalledWith({ type: 'invert' });
    // Ctrl+I belongs to the host page.
    const calls = engines[0]?.run.mock.calls.length;
    fireEvent.keyDown(viewport, { key: 'i', ctrlKey: true });
    expect(engines[0]?.run.mock.calls.length).toBe(calls);
  });

  it('applies modality presets from the toolbar and the number keys', async () => {
    const { create, engines } = fakeEngineFactory();
    render(
      <Viewer createEngine={create} series={[{ seriesInstanceUID: '1.2', modality: 'CT', imageIds }]} />,
    );
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Window presets' }), 'lung');
    expect(engines[0]?.applyPreset).toHaveBeenLastCalledWith(
      expect.objectContaining({ windowWidth: 1500, windowCenter: -600 }),
    );
    screen.getByRole('application').focus();
    await userEvent.keyboard('3');
    expect(engines[0]?.applyPreset).toHaveBeenLastCalledWith(expect.objectContaining({ id: 'bone' }));
  });

  it('has no presets for modalities without a fixed scale', async () => {
    const { create } = fakeEngineFactory();
    render(
      <Viewer createEngine={create} series={[{ seriesInstanceUID: '1.2', modality: 'MR', imageIds }]} />,
    );
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    const select = screen.getByRole('combobox', { name: 'Window presets' });
    expect(select).toBeDisabled();
    expect(select.querySelectorAll('option:not([disabled])')).toHaveLength(0);
  });

  it('moves focus through the toolbar with arrow keys, Home and End', async () => {
    const { create } = fakeEngineFactory();
    render(<Viewer createEngine={create} imageIds={imageIds} />);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    screen.getByRole('button', { name: 'Window/level' }).focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByRole('button', { name: 'Zoom' })).toHaveFocus();
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(screen.getByRole('button', { name: 'Open files' })).toHaveFocus();
    await userEvent.keyboard('{Home}');
    expect(screen.getByRole('button', { name: 'Window/level' })).toHaveFocus();
  });

  it('turns keyboard shortcuts off', async () => {
    const { create, engines } = fakeEngineFactory();
    render(<Viewer createEngine={create} imageIds={imageIds} keyboardShortcuts={false} />);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    screen.getByRole('application').focus();
    await userEvent.keyboard('i');
    expect(engines[0]?.run).not.toHaveBeenCalled();
  });
});

describe('DicomViewer series, files and annotations', () => {
  it('switches series from the browser', async () => {
    const { create, engines } = fakeEngineFactory();
    const series = [
      { seriesInstanceUID: '1.1', description: 'Axial', modality: 'CT', imageIds },
      { seriesInstanceUID: '1.2', description: 'Scout', modality: 'CT', imageIds: ['wadouri:/b/1.dcm'] },
    ];
    const onSeriesChange = vi.fn();
    render(<Viewer createEngine={create} series={series} onSeriesChange={onSeriesChange} />);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    await userEvent.click(screen.getByRole('button', { name: /Scout/ }));
    expect(onSeriesChange).toHaveBeenCalledWith('1.2');
    await waitFor(() =>
      expect(engines[0]?.showSeries).toHaveBeenLastCalledWith(series[1], expect.any(AbortSignal), 'stack'),
    );
    expect(screen.getByRole('button', { name: /Scout/ })).toHaveAttribute('aria-current', 'true');
  });

  it('switches view mode (stack, MPR, MIP) and reloads the series in that mode', async () => {
    const { create, engines } = fakeEngineFactory();
    const onViewModeChange = vi.fn();
    render(<Viewer createEngine={create} imageIds={imageIds} onViewModeChange={onViewModeChange} />);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect(root()).toHaveAttribute('data-view-mode', 'stack');
    await userEvent.click(screen.getByRole('button', { name: 'MPR' }));
    expect(onViewModeChange).toHaveBeenCalledWith('mpr');
    await waitFor(() =>
      expect(engines[0]?.showSeries).toHaveBeenLastCalledWith(
        expect.anything(),
        expect.any(AbortSignal),
        'mpr',
      ),
    );
    expect(screen.getByRole('button', { name: 'MPR' })).toHaveAttribute('aria-pressed', 'true');
    expect(root()).toHaveAttribute('data-view-mode', 'mpr');
  });

  it('offers MPR/MIP only for series of several slices', async () => {
    const { create } = fakeEngineFactory();
    render(<Viewer createEngine={create} imageIds={['wadouri:/one.dcm']} />);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect(screen.getByRole('button', { name: 'MPR' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'MIP' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Stack' })).toBeEnabled();
  });

  it('keeps files dropped before the engine is ready and opens them when it is', async () => {
    let release: () => void = () => {};
    const { create: createNow, engines } = fakeEngineFactory();
    const create: typeof createNow = (options) =>
      new Promise((resolve) => {
        release = () => resolve(createNow(options));
      });
    render(<Viewer createEngine={create} />);
    const file = new File([new Uint8Array(4)], 'early.dcm');
    fireEvent.drop(screen.getByRole('application'), { dataTransfer: { files: [file] } });
    await act(async () => release());
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect(engines[0]?.addLocalFiles).toHaveBeenCalledWith([file]);
  });

  it('opens dropped local files as a new series, with no server', async () => {
    const { create, engines } = fakeEngineFactory();
    render(<Viewer createEngine={create} />);
    await waitFor(() => expect(engines).toHaveLength(1));
    const files = [new File([new Uint8Array(4)], 'a.dcm'), new File([new Uint8Array(4)], 'b.dcm')];
    fireEvent.drop(screen.getByRole('application'), { dataTransfer: { files } });
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect(engines[0]?.addLocalFiles).toHaveBeenCalledWith(files);
    expect(engines[0]?.showSeries).toHaveBeenLastCalledWith(
      expect.objectContaining({ imageIds: ['dicomfile:0', 'dicomfile:1'] }),
      expect.any(AbortSignal),
      'stack',
    );
    expect(screen.getByRole('button', { name: /2 local files/ })).toBeInTheDocument();
  });

  it('opens picked files from the toolbar', async () => {
    const { create, engines } = fakeEngineFactory();
    render(<Viewer createEngine={create} />);
    await waitFor(() => expect(engines).toHaveLength(1));
    const file = new File([new Uint8Array(4)], 'scan.dcm');
    await userEvent.upload(screen.getByLabelText('Open files', { selector: 'input' }), file);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect(screen.getByRole('button', { name: /scan\.dcm/ })).toBeInTheDocument();
  });

  it('passes annotations in and reports changes out', async () => {
    const { create, engines } = fakeEngineFactory();
    const annotations: ViewerAnnotation[] = [
      {
        annotationUID: 'u1',
        tool: 'length',
        imageId: imageIds[0] ?? '',
        points: [
          [1, 2],
          [3, 4],
        ],
      },
    ];
    const onAnnotationsChange = vi.fn();
    render(
      <Viewer
        createEngine={create}
        imageIds={imageIds}
        annotations={annotations}
        onAnnotationsChange={onAnnotationsChange}
      />,
    );
    await waitFor(() => expect(engines[0]?.setAnnotations).toHaveBeenCalledWith(annotations));
    const drawn: ViewerAnnotation[] = [...annotations, { ...annotations[0]!, annotationUID: 'u2' }];
    act(() => engines[0]?.options.onAnnotationsChange(drawn));
    expect(onAnnotationsChange).toHaveBeenCalledWith(drawn);
  });

  it('shows the viewport state in the overlay', async () => {
    const { create, engines } = fakeEngineFactory();
    const onViewportChange = vi.fn();
    render(<Viewer createEngine={create} imageIds={imageIds} onViewportChange={onViewportChange} />);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    act(() =>
      engines[0]?.options.onViewportChange({
        ...emptyViewportInfo,
        imageIndex: 1,
        imageCount: 3,
        loadedCount: 3,
        windowWidth: 400,
        windowCenter: 40,
        zoom: 1.5,
        modality: 'CT',
      }),
    );
    expect(screen.getByText('Im 2/3')).toBeInTheDocument();
    expect(screen.getByText(/W 400 L 40/)).toBeInTheDocument();
    expect(screen.getByRole('application')).toHaveAccessibleName('Image 2 of 3, tool: Window/level');
    expect(onViewportChange).toHaveBeenCalledTimes(1);
  });

  it('has no axe violations', async () => {
    const { create } = fakeEngineFactory();
    const view = render(
      <Viewer createEngine={create} series={[{ seriesInstanceUID: '1', modality: 'CT', imageIds }]} />,
    );
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect((await axe(view.container)).violations).toEqual([]);
  });
});
