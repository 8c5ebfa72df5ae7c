import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { axe } from 'vitest-axe';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { createFixtureWorkflow } from '../testing/createFixtureWorkflow.js';
import { PatientPortalIntegration } from './PatientPortalIntegration.js';
import { ProviderPanelIntegration } from './ProviderPanelIntegration.js';

// The viewer mock records the request headers the integration hands it.
const viewer = vi.hoisted(() => ({ headers: undefined as undefined | ((url: string) => unknown) }));
vi.mock('@pacskit/viewer', () => ({
  DicomViewer: {
    Root: (props: { requestHeaders?: (url: string) => unknown; children: unknown }) => {
      viewer.headers = props.requestHeaders;
      return <div role="application">{props.children as never}</div>;
    },
    Toolbar: () => null,
    SeriesBrowser: () => null,
    Viewport: () => null,
  },
}));

const user = { id: 'u-1', displayName: 'Dr. Lee' };

describe('ProviderPanelIntegration', () => {
  it('refuses without radiology:view', () => {
    render(
      <ProviderPanelIntegration
        client={createFixtureAdapter()}
        user={user}
        getAccessToken={() => 't'}
        permissions={[]}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('radiology:view');
  });

  it('shows the tabs the permissions allow and moves between them with arrows', async () => {
    const { container } = render(
      <ProviderPanelIntegration
        client={createFixtureAdapter()}
        workflow={createFixtureWorkflow()}
        user={user}
        getAccessToken={() => 't'}
        permissions={['radiology:view']}
      />,
    );
    const tabs = within(screen.getByRole('tablist')).getAllByRole('tab');
    expect(tabs.map((tab) => tab.textContent)).toEqual(['Studies', 'Worklist']);
    await screen.findByRole('grid');
    expect(await axe(container)).toHaveNoViolations();
    tabs[0]!.focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Worklist' })).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByRole('grid', { name: 'Worklist' })).toBeInTheDocument();
  });

  it('offers orders with radiology:create and the report editor with radiology:report', async () => {
    render(
      <ProviderPanelIntegration
        client={createFixtureAdapter()}
        workflow={createFixtureWorkflow()}
        user={user}
        getAccessToken={() => 't'}
        permissions={['radiology:view', 'radiology:create', 'radiology:report']}
      />,
    );
    expect(screen.getByRole('tab', { name: 'Orders' })).toBeInTheDocument();
    const grid = await screen.findByRole('grid');
    await userEvent.click(within(grid).getAllByRole('row')[1]!);
    expect(await screen.findByRole('heading', { name: 'Report' })).toBeInTheDocument();
  });

  it("sends the host's token with the viewer's own image requests", async () => {
    render(
      <ProviderPanelIntegration
        client={createFixtureAdapter({ imageBaseUrl: '/dicom/' })}
        user={user}
        getAccessToken={async () => 'host-token'}
        permissions={['radiology:view']}
      />,
    );
    const grid = await screen.findByRole('grid');
    await userEvent.click(within(grid).getAllByRole('row')[1]!);
    await userEvent.click(await screen.findByRole('button', { name: 'Open viewer' }));
    await screen.findByRole('application');
    expect(await viewer.headers?.('/dicom/MR_small.dcm')).toEqual({ Authorization: 'Bearer host-token' });
  });
});

describe('PatientPortalIntegration', () => {
  it("shows only the signed-in patient's studies after consent", async () => {
    const client = createFixtureAdapter({ studyCount: 30 });
    const patientId = client.studies[5]!.PatientID!;
    render(
      <PatientPortalIntegration
        client={client}
        workflow={createFixtureWorkflow()}
        user={{ id: 'p-1', patientId }}
        getAccessToken={() => 't'}
        permissions={['radiology:view']}
        consented
      />,
    );
    const timeline = await screen.findByRole('list');
    expect(within(timeline).getAllByRole('button')).toHaveLength(1);
  });

  it('refuses a user without a patient id', () => {
    render(
      <PatientPortalIntegration
        client={createFixtureAdapter()}
        user={{ id: 'p-1' }}
        getAccessToken={() => 't'}
        permissions={['radiology:view']}
      />,
    );
    expect(screen.getByRole('alert')).toBeInTheDocument();
  });
});
