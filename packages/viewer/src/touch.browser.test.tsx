import { render } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { countBrightPixels } from '../test/canvasPixels.ts';
import { ctPhantomImageIds } from '../test/fixtures.ts';
import { touchGesture } from '../test/touch.ts';
import { DicomViewer } from './DicomViewer.js';
import type { DicomViewerRootProps } from './DicomViewerRoot.js';
import type { ViewportInfo } from './viewportInfo.js';

// A phone-sized viewer.
function renderViewer(props: DicomViewerRootProps) {
  return render(
    <StrictMode>
      <div style={{ width: 360, height: 560 }}>
        <DicomViewer.Root {...props}>
          <DicomViewer.Viewport />
        </DicomViewer.Root>
      </div>
    </StrictMode>,
  );
}

async function ready(container: HTMLElement) {
  await expect
    .poll(() => container.querySelector('.pacs-viewer')?.getAttribute('data-state'), { timeout: 60_000 })
    .toBe('ready');
  await expect
    .poll(() => countBrightPixels(container.querySelector('canvas') as HTMLCanvasElement), {
      timeout: 15_000,
    })
    .toBeGreaterThan(500);
}

describe('touch gestures (phone) under React StrictMode', () => {
  it('renders once StrictMode has mounted, unmounted and remounted the viewer', async () => {
    const view = renderViewer({ imageIds: ctPhantomImageIds('/dicom', 5) });
    await ready(view.container);
    expect(view.container.querySelectorAll('canvas')).toHaveLength(1);
  });

  it('scrolls through the series with one finger', async () => {
    const infos: ViewportInfo[] = [];
    const view = renderViewer({
      imageIds: ctPhantomImageIds('/dicom', 30),
      defaultTool: 'stackScroll',
      onViewportChange: (info) => infos.push(info),
    });
    await ready(view.container);
    expect(infos.at(-1)?.imageIndex ?? 0).toBe(0);
    const canvas = view.container.querySelector('canvas') as HTMLCanvasElement;
    await touchGesture(canvas, [{ from: [180, 100], to: [180, 400] }], 20);
    await expect.poll(() => infos.at(-1)?.imageIndex ?? 0, { timeout: 5_000 }).toBeGreaterThan(0);
  });

  it('zooms with a two-finger pinch', async () => {
    const infos: ViewportInfo[] = [];
    const view = renderViewer({
      imageIds: ctPhantomImageIds('/dicom', 5),
      onViewportChange: (info) => infos.push(info),
    });
    await ready(view.container);
    await expect.poll(() => infos.at(-1)?.zoom).toBeDefined();
    const zoomBefore = infos.at(-1)?.zoom ?? 1;
    const canvas = view.container.querySelector('canvas') as HTMLCanvasElement;
    await touchGesture(
      canvas,
      [
        { from: [160, 250], to: [60, 250] },
        { from: [200, 250], to: [300, 250] },
      ],
      15,
    );
    await expect.poll(() => infos.at(-1)?.zoom ?? 0, { timeout: 5_000 }).toBeGreaterThan(zoomBefore * 1.2);
  });
});
