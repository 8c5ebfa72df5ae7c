// @vitest-environment node
// Server rendering: no DOM at all. Importing the package and rendering its components must not
// touch window/document, and the viewer must not be imported until an image is opened.
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';

const viewerImported = vi.hoisted(() => ({ count: 0 }));
vi.mock('@pacskit/viewer', () => {
  viewerImported.count++;
  return { DicomViewer: {} };
});

describe('server rendering', () => {
  it('imports and renders the dashboard and the patient viewer without a DOM, and without the viewer', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const { PacsProvider, ProviderDashboard, PatientViewer } = await import('../index.js');
    const { createFixtureAdapter } = await import('../testing/createFixtureAdapter.js');
    const html = renderToString(
      <PacsProvider client={createFixtureAdapter()}>
        <ProviderDashboard />
        <PatientViewer.Root />
      </PacsProvider>,
    );
    expect(html).toContain('Study search');
    expect(html).toContain('Before you view your images');
    expect(html).toContain('pacs-scope');
    expect(viewerImported.count).toBe(0);
  });
});
