import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { axe } from 'vitest-axe';
import { renderWithPacs } from '../../test/render.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { createFixtureWorkflow } from '../testing/createFixtureWorkflow.js';
import { Worklist } from './Worklist.js';

const client = createFixtureAdapter();

describe('Worklist', () => {
  it('lists active orders, STAT first, and passes axe', async () => {
    const { container } = renderWithPacs(<Worklist.Root />, client, { workflow: createFixtureWorkflow() });
    const grid = await screen.findByRole('grid', { name: 'Worklist' });
    const rows = within(grid).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveAttribute('data-urgency', 'stat');
    // Completed and cancelled orders are not on the worklist.
    expect(within(grid).queryByText('Completed')).not.toBeInTheDocument();
    expect(await axe(container)).toHaveNoViolations();
  });

  it('filters by body part and urgency', async () => {
    renderWithPacs(<Worklist.Root />, client, { workflow: createFixtureWorkflow() });
    await screen.findByRole('grid');
    await userEvent.selectOptions(screen.getByLabelText('Body part'), 'CHEST');
    const rows = within(screen.getByRole('grid')).getAllByRole('row').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toHaveTextContent('CHEST');
    await userEvent.selectOptions(screen.getByLabelText('Body part'), '');
    await userEvent.selectOptions(screen.getByLabelText('Urgency'), 'urgent');
    await waitFor(() => {
      for (const row of within(screen.getByRole('grid')).getAllByRole('row').slice(1)) {
        expect(row).toHaveAttribute('data-urgency', 'urgent');
      }
    });
  });

  it('virtualizes 10,000 orders and sorts by a column', async () => {
    renderWithPacs(<Worklist.Root />, client, { workflow: createFixtureWorkflow({ orderCount: 10_000 }) });
    const grid = await screen.findByRole('grid');
    expect(Number(grid.getAttribute('aria-rowcount'))).toBeGreaterThan(5000);
    expect(within(grid).getAllByRole('row').length).toBeLessThan(60);
    const patient = screen.getByRole('columnheader', { name: 'Patient' });
    await userEvent.click(within(patient).getByRole('button'));
    expect(patient).toHaveAttribute('aria-sort', 'ascending');
  });

  it('selects an order with the keyboard', async () => {
    const onValueChange = vi.fn();
    renderWithPacs(<Worklist.Root onValueChange={onValueChange} />, client, {
      workflow: createFixtureWorkflow(),
    });
    const grid = await screen.findByRole('grid');
    grid.focus();
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(onValueChange).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('row', { selected: true })).toHaveAttribute('aria-rowindex', '3');
  });

  it('shows empty, error and missing-workflow states', async () => {
    const { unmount } = renderWithPacs(<Worklist.Root />, client, {
      workflow: createFixtureWorkflow({ mode: 'empty' }),
    });
    expect(await screen.findByText('No active orders.')).toBeInTheDocument();
    unmount();
    const second = renderWithPacs(<Worklist.Root />, client, {
      workflow: createFixtureWorkflow({ mode: 'error', errorCode: 'UNAUTHENTICATED' }),
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('UNAUTHENTICATED');
    second.unmount();
    renderWithPacs(<Worklist.Root />, client);
    expect(await screen.findByRole('alert')).toHaveTextContent('NOT_SUPPORTED');
  });
});
