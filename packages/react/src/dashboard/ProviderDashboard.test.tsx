import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { axe } from 'vitest-axe';
import { renderWithPacs } from '../../test/render.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { ProviderDashboard } from './ProviderDashboard.js';

vi.mock('@pacskit/viewer', () => ({ DicomViewer: {} }));

describe('ProviderDashboard', () => {
  it('searches, lists, and shows the selected study in the detail panel', async () => {
    const onStudyChange = vi.fn();
    const { container } = renderWithPacs(
      <ProviderDashboard onStudyChange={onStudyChange} />,
      createFixtureAdapter(),
    );
    const grid = await screen.findByRole('grid');
    expect(within(grid).getAllByRole('row')).toHaveLength(3);
    await userEvent.selectOptions(screen.getByLabelText('Modality'), 'MR');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(within(screen.getByRole('grid')).getAllByRole('row')).toHaveLength(2));
    await userEvent.click(within(screen.getByRole('grid')).getAllByRole('row')[1]!);
    expect(onStudyChange).toHaveBeenCalledWith('1.3.6.1.4.1.5962.1.2.4.20040826185059.5457');
    const detail = screen.getByRole('region', { name: 'Study detail' });
    expect(await within(detail).findByText(/MR1 CompressedSamples/)).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Sources' })).not.toBeInTheDocument();
    expect(await axe(container)).toHaveNoViolations();
  });

  it('shows the sources panel and source column for a federated client', async () => {
    renderWithPacs(<ProviderDashboard />, createFixtureAdapter({ sources: ['north', 'south'] }));
    expect(await screen.findByRole('heading', { name: 'Sources' })).toBeInTheDocument();
    expect(await screen.findByRole('columnheader', { name: 'Source' })).toBeInTheDocument();
  });
});
