import { render } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { canvasLuminance, countBrightPixels } from '../test/canvasPixels.ts';
import { drag } from '../test/drag.ts';
import { ctPhantomImageIds, sampleImageId } from '../test/fixtures.ts';
import { DicomViewer } from './DicomViewer.js';
import type { DicomViewerRootProps } from './DicomViewerRoot.js';
import type { ViewerAnnotation } from './viewerAnnotation.js';
import type { ViewportInfo } from './viewportInfo.js';

function renderViewer(props: DicomViewerRootProps) {
  return render(
    <div style={{ width: 640, height: 560 }}>
      <DicomViewer.Root {...props}>
        <DicomViewer.Toolbar />
        <DicomViewer.Viewport>
          <DicomViewer.Overlay />
        </DicomViewer.Viewport>
      </DicomViewer.Root>
    </div>,
  );
}

function viewerCanvas(container: HTMLElement): HTMLCanvasElement {
  const canvas = container.querySelector('canvas');
  if (canvas === null) throw new Error('no canvas');
  return canvas;
}

async function waitForPixels(container: HTMLElement) {
  // The first test of a cold run also waits for Vite to pre-bundle Cornerstone and its codecs.
  await expect
    .poll(() => container.querySelector('.pacs-viewer')?.getAttribute('data-state'), { timeout: 80_000 })
    .toBe('ready');
  await expect
    .poll(() => countBrightPixels(viewerCanvas(container)), { timeout: 15_000 })
    .toBeGreaterThan(1_000);
}

describe('DicomViewer in Chromium', () => {
  it('renders a real DICOM image (non-black pixels on the canvas)', { timeout: 90_000 }, async () => {
    const view = renderViewer({ imageIds: ctPhantomImageIds('/dicom', 10) });
    await waitForPixels(view.container);
    // The phantom's body covers most of the field; air around it stays black.
    const canvas = viewerCanvas(view.container);
    expect(countBrightPixels(canvas)).toBeLessThan(canvas.width * canvas.height);
  });

  it.each([
    ['CT_small.dcm'],
    ['MR_small_jpeg_ls_lossless.dcm'],
    ['MR_small_RLE.dcm'],
    ['SC_rgb_jpeg_dcmtk.dcm'],
  ])('decodes %s (codec workers load)', async (name) => {
    const view = renderViewer({ imageIds: [sampleImageId(name, '/dicom')] });
    await waitForPixels(view.container);
  });

  it('changes window/level when dragged, and the pixels change', async () => {
    const infos: ViewportInfo[] = [];
    const view = renderViewer({
      imageIds: ctPhantomImageIds('/dicom', 5),
      onViewportChange: (i) => infos.push(i),
    });
    await waitForPixels(view.container);
    await expect.poll(() => infos.at(-1)?.windowWidth).toBeDefined();
    const before = infos.at(-1);
    // 400 stored, 399 after PS3.3 C.11.2.1.2.1's linear function (width − 1).
    expect(before?.windowWidth).toBeCloseTo(400, -1);
    const canvas = viewerCanvas(view.container);
    const luminanceBefore = canvasLuminance(canvas);
    await drag(canvas, [200, 200], [320, 300]);
    await expect.poll(() => infos.at(-1)?.windowWidth, { timeout: 5_000 }).toBeGreaterThan(420);
    await expect
      .poll(() => canvasLuminance(viewerCanvas(view.container)), { timeout: 5_000 })
      .not.toBe(luminanceBefore);
  });

  it('draws a length measurement and reports it in millimetres', async () => {
    const onAnnotationsChange = vi.fn<(annotations: ViewerAnnotation[]) => void>();
    const view = renderViewer({
      imageIds: ctPhantomImageIds('/dicom', 5),
      defaultTool: 'length',
      onAnnotationsChange,
    });
    await waitForPixels(view.container);
    const canvas = viewerCanvas(view.container);
    await drag(canvas, [150, 250], [400, 250], 12);
    const latest = () => onAnnotationsChange.mock.calls.at(-1)?.[0][0];
    // Cornerstone recomputes the statistics on the render after the last move: wait for it.
    const consistent = () => {
      const annotation = latest();
      const [[x1, y1] = [0, 0], [x2, y2] = [0, 0]] = annotation?.points ?? [];
      const length = annotation?.measurements?.length;
      // Image-space points × PixelSpacing 1.5 mm (PS3.3 C.7.6.2.1.3) give the reported length.
      return length !== undefined && Math.abs(length - Math.hypot(x2 - x1, y2 - y1) * 1.5) < 0.05;
    };
    await expect.poll(consistent, { timeout: 10_000 }).toBe(true);
    const annotation = latest();
    expect(annotation?.tool).toBe('length');
    expect(annotation?.imageId).toBe(ctPhantomImageIds('/dicom', 1)[0]);
    expect(annotation?.sopInstanceUID).toBe('2.25.1736151093842209714401981532.4.1');
    expect(annotation?.measurements?.length).toBeGreaterThan(30);
    const [[, y1] = [0, 0], [, y2] = [0, 0]] = annotation?.points ?? [];
    expect(Math.abs(y2 - y1)).toBeLessThan(1); // a horizontal drag stays horizontal in image space
  });

  it('shows annotations given in image coordinates and computes their statistics', async () => {
    const imageIds = ctPhantomImageIds('/dicom', 5);
    const onAnnotationsChange = vi.fn<(annotations: ViewerAnnotation[]) => void>();
    const annotations: ViewerAnnotation[] = [
      {
        annotationUID: 'a1',
        tool: 'length',
        imageId: imageIds[0] ?? '',
        points: [
          [20, 64],
          [108, 64],
        ],
      },
    ];
    const view = renderViewer({ imageIds, annotations, onAnnotationsChange });
    await waitForPixels(view.container);
    await expect
      .poll(
        () =>
          onAnnotationsChange.mock.calls.at(-1)?.[0].find((a) => a.annotationUID === 'a1')?.measurements
            ?.length,
        {
          timeout: 10_000,
        },
      )
      .toBeCloseTo(132, 3);
    // The SVG layer draws it.
    expect(
      view.container.querySelector('svg [data-annotation-uid="a1"], svg g[data-annotation-uid]'),
    ).not.toBeNull();
  });

  it('draws an arrow annotation with the text the host asks the user for', async () => {
    const onAnnotationsChange = vi.fn<(annotations: ViewerAnnotation[]) => void>();
    const requestText = vi.fn(async () => 'Nodule');
    const view = renderViewer({
      imageIds: ctPhantomImageIds('/dicom', 5),
      defaultTool: 'arrowAnnotate',
      requestText,
      onAnnotationsChange,
    });
    await waitForPixels(view.container);
    await drag(viewerCanvas(view.container), [300, 200], [360, 260], 8);
    await expect
      .poll(() => onAnnotationsChange.mock.calls.at(-1)?.[0].find((a) => a.tool === 'arrowAnnotate')?.text, {
        timeout: 10_000,
      })
      .toBe('Nodule');
    expect(requestText).toHaveBeenCalled();
  });

  it('has no axe violations with a real image', async () => {
    const view = renderViewer({
      series: [{ seriesInstanceUID: '1', modality: 'CT', imageIds: ctPhantomImageIds('/dicom', 3) }],
    });
    await waitForPixels(view.container);
    const results = await axe.run(view.container);
    expect(
      results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });
});
