import { act, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { countBrightPixels } from '../test/canvasPixels.ts';
import { ctPhantomImageIds } from '../test/fixtures.ts';
import { DicomViewer } from './DicomViewer.js';
import type { DicomViewerRootProps } from './DicomViewerRoot.js';
import type { ViewportInfo } from './viewportInfo.js';

function renderViewer(props: DicomViewerRootProps) {
  return render(
    <div style={{ width: 900, height: 420 }}>
      <DicomViewer.Root {...props}>
        <DicomViewer.Toolbar />
        <DicomViewer.Viewport />
      </DicomViewer.Root>
    </div>,
  );
}

function canvases(container: HTMLElement): HTMLCanvasElement[] {
  return Array.from(container.querySelectorAll<HTMLCanvasElement>('.pacs-viewer__volume-pane canvas'));
}

async function ready(container: HTMLElement) {
  await expect
    .poll(() => container.querySelector('.pacs-viewer')?.getAttribute('data-state'), { timeout: 60_000 })
    .toBe('ready');
}

describe('volumes in Chromium, without SharedArrayBuffer', () => {
  it('runs in a page that is not cross-origin isolated (no SharedArrayBuffer for Cornerstone)', () => {
    expect(globalThis.crossOriginIsolated).toBe(false);
  });

  it('shows MPR: axial, sagittal and coronal panes, each with the phantom', { timeout: 90_000 }, async () => {
    const infos: ViewportInfo[] = [];
    const view = renderViewer({
      imageIds: ctPhantomImageIds('/dicom'),
      defaultViewMode: 'mpr',
      onViewportChange: (info) => infos.push(info),
    });
    await ready(view.container);
    await expect.poll(() => canvases(view.container).length, { timeout: 10_000 }).toBe(3);
    const orientations = Array.from(
      view.container.querySelectorAll<HTMLElement>('.pacs-viewer__volume-pane'),
    ).map((pane) => pane.dataset.orientation);
    expect(orientations).toEqual(['axial', 'sagittal', 'coronal']);
    // The stored window (W 400 / L 40) applies to the volume panes too.
    await expect.poll(() => infos.at(-1)?.windowWidth, { timeout: 10_000 }).toBeCloseTo(400, -1);
    expect(infos.at(-1)?.windowCenter).toBeCloseTo(40, -1);
    expect(infos.at(-1)?.viewMode).toBe('mpr');
    for (const index of [0, 1, 2]) {
      await expect
        .poll(() => countBrightPixels(canvases(view.container)[index] as HTMLCanvasElement), {
          timeout: 30_000,
        })
        .toBeGreaterThan(2_000);
    }
  });

  it('shows a MIP where the spine (700 HU) projects bright', { timeout: 90_000 }, async () => {
    const view = renderViewer({ imageIds: ctPhantomImageIds('/dicom'), defaultViewMode: 'mip' });
    await ready(view.container);
    await expect.poll(() => canvases(view.container).length).toBe(1);
    // Soft-tissue window (W 400 / L 40): bone saturates to white; only the MIP brings it to the front.
    await expect
      .poll(() => countBrightPixels(canvases(view.container)[0] as HTMLCanvasElement, 250), {
        timeout: 30_000,
      })
      .toBeGreaterThan(500);
  });

  it('switches stack → MPR → stack from the toolbar', { timeout: 90_000 }, async () => {
    const view = renderViewer({ imageIds: ctPhantomImageIds('/dicom') });
    await ready(view.container);
    const button = (name: string) =>
      Array.from(view.container.querySelectorAll<HTMLButtonElement>('button')).find(
        (b) => b.textContent === name,
      );
    act(() => button('MPR')?.click());
    await ready(view.container);
    await expect.poll(() => canvases(view.container).length, { timeout: 30_000 }).toBe(3);
    expect(button('MPR')?.getAttribute('aria-pressed')).toBe('true');
    act(() => button('Stack')?.click());
    await ready(view.container);
    await expect.poll(() => canvases(view.container).length).toBe(0);
    await expect
      .poll(() => countBrightPixels(view.container.querySelector('canvas') as HTMLCanvasElement), {
        timeout: 30_000,
      })
      .toBeGreaterThan(1_000);
  });
});
