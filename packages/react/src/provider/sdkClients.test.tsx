import { createFederatedClient, type FederatedClient, type WorkflowClient } from '@pacskit/sdk';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { renderWithPacs } from '../../test/render.js';
import { ProviderDashboard } from '../dashboard/ProviderDashboard.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import type { PacsWorkflowClient } from '../workflow/pacsWorkflowClient.js';
import type { PacsClient } from './pacsClient.js';

vi.mock('@pacskit/viewer', () => ({ DicomViewer: {} }));

describe('the SDK clients plug into PacsProvider as they are', () => {
  it('types: FederatedClient is a PacsClient, WorkflowClient a PacsWorkflowClient', () => {
    expectTypeOf<FederatedClient>().toExtend<PacsClient>();
    expectTypeOf<WorkflowClient>().toExtend<PacsWorkflowClient>();
  });

  it("the SDK's federated client drives the source column and the sources panel", async () => {
    const client = createFederatedClient({
      sources: [
        { id: 'north', adapter: createFixtureAdapter({ id: 'north' }) },
        {
          id: 'south',
          adapter: createFixtureAdapter({ id: 'south', mode: 'error', errorCode: 'UNAVAILABLE' }),
        },
      ],
      retry: { retries: 0 },
    });
    renderWithPacs(<ProviderDashboard />, client);
    const grid = await screen.findByRole('grid');
    expect(within(grid).getByRole('columnheader', { name: 'Source' })).toBeInTheDocument();
    expect(within(grid).getAllByText('north').length).toBeGreaterThan(0);
    const panel = screen.getByRole('region', { name: 'Sources' });
    // The federated client's health probe echoes every source: south's failure code is shown.
    await waitFor(() =>
      expect(within(panel).getByText('south').closest('li')).toHaveTextContent('UNAVAILABLE'),
    );
    expect(within(panel).getByText('north').closest('li')).toHaveAttribute('data-state', 'up');
    expect(within(panel).getByText('north').closest('li')).not.toHaveTextContent('UNAVAILABLE');
  });
});
