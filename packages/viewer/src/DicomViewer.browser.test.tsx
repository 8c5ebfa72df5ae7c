import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { canvasLuminance, countBrightPixels } from '../test/canvasPixels.ts';
import { ctPhantomImageIds } from '../test/fixtures.ts';
import { DicomViewer } from './DicomViewer.js';

function viewerCanvas(container: HTMLElement): HTMLCanvasElement {
  const canvas = container.querySelector('canvas');
  if (canvas === null) throw new Error('no canvas');
  return canvas;
}

describe('DicomViewer in Chromium', () => {
  it('renders a real DICOM image', async () => {
    const screen = render(
      <div style={{ width: 512, height: 512 }}>
        <DicomViewer.Root imageIds={ctPhantomImageIds('/dicom', 10)}>
          <DicomViewer.Viewport />
        </DicomViewer.Root>
      </div>,
    );
    await expect
      .poll(() => screen.container.querySelector('.pacs-viewer')?.getAttribute('data-state'), {
        timeout: 30_000,
      })
      .toBe('ready');
    const canvas = viewerCanvas(screen.container);
    console.log(
      canvas.width,
      canvas.height,
      canvas.className,
      countBrightPixels(canvas),
      canvasLuminance(canvas),
    );
    await expect
      .poll(() => countBrightPixels(viewerCanvas(screen.container)), { timeout: 10_000 })
      .toBeGreaterThan(10_000);
  });
});
