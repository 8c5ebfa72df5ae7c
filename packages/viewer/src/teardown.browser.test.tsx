import { render } from '@testing-library/react';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { countBrightPixels } from '../test/canvasPixels.ts';
import { ctPhantomImageIds } from '../test/fixtures.ts';
import { DicomViewer } from './DicomViewer.js';

// Every WebGL context and Worker the page creates, to check that 50 mounts leak neither.
const contexts: WebGLRenderingContext[] = [];
let workersCreated = 0;
const originalGetContext = HTMLCanvasElement.prototype.getContext;
const OriginalWorker = window.Worker;

beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = function (
    this: HTMLCanvasElement,
    type: string,
    options?: unknown,
  ) {
    const context = (originalGetContext as (t: string, o?: unknown) => RenderingContext | null).call(
      this,
      type,
      options,
    );
    if (
      context &&
      (type === 'webgl' || type === 'webgl2') &&
      !contexts.includes(context as WebGLRenderingContext)
    ) {
      contexts.push(context as WebGLRenderingContext);
    }
    return context;
  } as typeof HTMLCanvasElement.prototype.getContext;
  window.Worker = class extends OriginalWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      workersCreated++;
    }
  };
});

afterAll(() => {
  HTMLCanvasElement.prototype.getContext = originalGetContext;
  window.Worker = OriginalWorker;
});

function mountViewer() {
  return render(
    <div style={{ width: 256, height: 256 }}>
      <DicomViewer.Root imageIds={ctPhantomImageIds('/dicom', 3)}>
        <DicomViewer.Viewport />
      </DicomViewer.Root>
    </div>,
  );
}

async function ready(container: HTMLElement) {
  await expect
    .poll(() => container.querySelector('.pacs-viewer')?.getAttribute('data-state'), { timeout: 30_000 })
    .toBe('ready');
}

it('leaks no WebGL contexts or workers over 50 mount/unmount cycles', { timeout: 300_000 }, async () => {
  for (let cycle = 0; cycle < 50; cycle++) {
    const view = mountViewer();
    await ready(view.container);
    view.unmount();
  }
  const live = contexts.filter((context) => !context.isContextLost());
  // Cornerstone keeps one context for its capability checks; each viewer's own is released on unmount.
  expect(live.length).toBeLessThanOrEqual(1);
  expect(contexts.length).toBeGreaterThanOrEqual(50);
  // Decode workers are shared and bounded (maxWebWorkers ≤ 4), not created per mount.
  expect(workersCreated).toBeGreaterThan(0);
  expect(workersCreated).toBeLessThanOrEqual(4);
  // And the 51st viewer still renders.
  const view = mountViewer();
  await ready(view.container);
  await expect
    .poll(() => countBrightPixels(view.container.querySelector('canvas') as HTMLCanvasElement), {
      timeout: 10_000,
    })
    .toBeGreaterThan(1000);
  view.unmount();
});
