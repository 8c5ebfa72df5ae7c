import { render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { axe } from 'vitest-axe';
import { renderWithPacs } from '../../test/render.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { StudyList } from './StudyList.js';

describe('StudyList', () => {
  it('shows loading, then the recorded studies, and passes axe', async () => {
    const { container } = renderWithPacs(<StudyList.Root />, createFixtureAdapter({ latencyMs: 20 }));
    expect(screen.getByRole('status')).toHaveTextContent('Loading');
    const grid = await screen.findByRole('grid', { name: 'Studies' });
    expect(within(grid).getAllByRole('row')).toHaveLength(3);
    expect(within(grid).getByText('CT1 CompressedSamples')).toBeInTheDocument();
    expect(await axe(container)).toHaveNoViolations();
  });

  it('shows the empty state', async () => {
    renderWithPacs(<StudyList.Root />, createFixtureAdapter({ mode: 'empty' }));
    expect(await screen.findByText('No studies match this search.')).toBeInTheDocument();
  });

  it('shows the PacsError code and retries', async () => {
    const client = createFixtureAdapter({ mode: 'error', errorCode: 'UNAUTHENTICATED' });
    const { container } = renderWithPacs(<StudyList.Root />, client);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('UNAUTHENTICATED');
    const calls = client.callCount;
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(client.callCount).toBe(calls + 1));
    expect(await axe(container)).toHaveNoViolations();
  });

  it('virtualizes 10,000 studies: only a screenful of rows is in the DOM', async () => {
    const client = createFixtureAdapter({ studyCount: 10_000 });
    renderWithPacs(<StudyList.Root height={420} />, client);
    const grid = await screen.findByRole('grid');
    expect(grid).toHaveAttribute('aria-rowcount', '10001');
    const rendered = within(grid).getAllByRole('row').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
  });

  it('sorts by a column header, ascending then descending', async () => {
    renderWithPacs(<StudyList.Root />, createFixtureAdapter({ studyCount: 12 }));
    await screen.findByRole('grid');
    const dateHeader = screen.getByRole('columnheader', { name: /Date/ });
    await userEvent.click(within(dateHeader).getByRole('button'));
    expect(dateHeader).toHaveAttribute('aria-sort', 'ascending');
    const firstCells = () =>
      screen
        .getAllByRole('row')
        .slice(1)
        .map((row) => row.querySelectorAll('td')[2]!.textContent);
    const ascending = firstCells();
    await userEvent.click(within(dateHeader).getByRole('button'));
    expect(dateHeader).toHaveAttribute('aria-sort', 'descending');
    expect(firstCells()[0]).toBe(ascending.at(-1));
  });

  it('moves with the keyboard and selects with Enter (uncontrolled, onValueChange fires)', async () => {
    const onValueChange = vi.fn();
    const client = createFixtureAdapter({ studyCount: 100 });
    renderWithPacs(<StudyList.Root onValueChange={onValueChange} />, client);
    await screen.findByRole('grid');
    const grid = screen.getByRole('grid');
    await userEvent.tab();
    expect(grid).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(onValueChange).toHaveBeenCalledWith(client.studies[2]!.StudyInstanceUID);
    const selected = screen.getByRole('row', { selected: true });
    expect(selected).toHaveAttribute('data-state', 'selected');
    expect(grid).toHaveAttribute('aria-activedescendant', selected.id);
    await userEvent.keyboard('{End}');
    const activeRow = () => document.getElementById(grid.getAttribute('aria-activedescendant')!);
    await waitFor(() => expect(activeRow()).toHaveAttribute('aria-rowindex', '101'));
    await userEvent.keyboard('{PageUp}');
    await waitFor(() => expect(activeRow()).toHaveAttribute('aria-rowindex', String(101 - 9)));
    expect(grid).toHaveFocus();
  });

  it('is controlled by value', async () => {
    const client = createFixtureAdapter();
    renderWithPacs(
      <StudyList.Root value={client.studies[1]!.StudyInstanceUID} onValueChange={() => {}} />,
      client,
    );
    await screen.findByRole('grid');
    await userEvent.click(screen.getAllByRole('row')[1]!);
    // Controlled: a click asks, but the selection stays where the parent put it.
    expect(screen.getByRole('row', { selected: true })).toHaveAttribute('aria-rowindex', '3');
  });

  it('shows a source column for a federated client', async () => {
    renderWithPacs(<StudyList.Root />, createFixtureAdapter({ sources: ['north', 'south'] }));
    await screen.findByRole('grid');
    expect(screen.getByRole('columnheader', { name: 'Source' })).toBeInTheDocument();
    expect(screen.getByText('south')).toBeInTheDocument();
  });

  it('a part outside its root throws with both names', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<StudyList.Row study={createFixtureAdapter().studies[0]!} index={0} />)).toThrow(
      '`StudyList.Row` must be used within `StudyList.Root`',
    );
  });
});
