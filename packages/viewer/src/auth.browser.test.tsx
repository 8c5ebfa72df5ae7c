import { render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ctPhantomImageIds } from '../test/fixtures.ts';
import { DicomViewer } from './DicomViewer.js';
import type { DicomViewerRootProps } from './DicomViewerRoot.js';

// /dicom-auth serves the fixtures only with "Authorization: Bearer fixture-token" (vitest.config.ts).
function renderViewer(props: DicomViewerRootProps) {
  return render(
    <div style={{ width: 300, height: 300 }}>
      <DicomViewer.Root {...props}>
        <DicomViewer.Viewport />
      </DicomViewer.Root>
    </div>,
  );
}

// Cornerstone 5.14's loader leaves the rejected XMLHttpRequest of a 401 unhandled (its prefetch and
// retrieve paths drop the promise); the viewer reports the error through onError. vitest.config.ts
// ignores those, and only those, for this file (onUnhandledError).

function state(container: HTMLElement) {
  return container.querySelector('.pacs-viewer')?.getAttribute('data-state');
}

describe('auth headers on image requests', () => {
  it('sends requestHeaders with every image request of the viewer', async () => {
    const requestHeaders = vi.fn(async () => ({ Authorization: 'Bearer fixture-token' }));
    const view = renderViewer({ imageIds: ctPhantomImageIds('/dicom-auth', 3), requestHeaders });
    await expect.poll(() => state(view.container), { timeout: 60_000 }).toBe('ready');
    const urls = requestHeaders.mock.calls.map((call) => String((call as unknown[])[0]));
    expect(urls.some((url) => url.includes('/dicom-auth/ct-phantom/CT001.dcm'))).toBe(true);
  });

  it('shows UNAUTHENTICATED, not a black image, without the token', async () => {
    const onError = vi.fn();
    // Other images than the first test's: Cornerstone's image cache is page-wide, so images a viewer
    // with credentials loaded would show here without any request.
    const view = renderViewer({ imageIds: ctPhantomImageIds('/dicom-auth', 12).slice(9), onError });
    await expect.poll(() => state(view.container), { timeout: 60_000 }).toBe('error');
    expect(view.container.querySelector('.pacs-viewer__code')?.textContent).toBe('UNAUTHENTICATED');
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'UNAUTHENTICATED', httpStatus: 401 });
  });

  it('keeps two viewers with different credentials apart', async () => {
    const view = render(
      <div style={{ width: 600, height: 300, display: 'flex' }}>
        <DicomViewer.Root
          aria-label="with token"
          imageIds={ctPhantomImageIds('/dicom-auth', 2)}
          requestHeaders={() => ({ Authorization: 'Bearer fixture-token' })}
        >
          <DicomViewer.Viewport />
        </DicomViewer.Root>
        <DicomViewer.Root
          aria-label="wrong token"
          imageIds={ctPhantomImageIds('/dicom-auth', 24).slice(20)}
          requestHeaders={() => ({ Authorization: 'Bearer nope' })}
        >
          <DicomViewer.Viewport />
        </DicomViewer.Root>
      </div>,
    );
    const [first, second] = Array.from(view.container.querySelectorAll('.pacs-viewer'));
    await expect.poll(() => first?.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    await expect.poll(() => second?.getAttribute('data-state'), { timeout: 60_000 }).toBe('error');
  });
});
