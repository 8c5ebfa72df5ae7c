import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import type { FixtureKnobs } from '../testing/FixturePacsProvider.js';
import { defaultKnobs, fixtureArgTypes, phoneGlobals } from '../testing/storyKnobs.js';
import { withFixturePacs } from '../testing/withFixturePacs.js';
import { StudyList } from './StudyList.js';

type Args = FixtureKnobs & { height?: number };

const meta = {
  title: 'Dashboard/StudyList',
  decorators: [withFixturePacs],
  args: { ...defaultKnobs, height: 420 },
  argTypes: { ...fixtureArgTypes, height: { control: { type: 'range', min: 200, max: 900, step: 20 } } },
  render: ({ height }) => (
    <StudyList.Root height={height ?? 420}>
      <StudyList.Count />
      <StudyList.Grid />
    </StudyList.Root>
  ),
  parameters: {
    docs: {
      description: {
        component:
          'Virtualized, sortable, keyboard-navigable study list (`StudyList.Root`, `Grid`, `Header`, `Body`, `Row`, `Count`). Data from the recorded fixture adapter (pydicom CT_small/MR_small).',
      },
    },
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Data: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const grid = await canvas.findByRole('grid', {}, { timeout: 5000 });
    await expect(within(grid).getAllByRole('row')).toHaveLength(3);
    const dateHeader = canvas.getByRole('columnheader', { name: /Date/ });
    await userEvent.click(within(dateHeader).getByRole('button'));
    await expect(dateHeader).toHaveAttribute('aria-sort', 'ascending');
    grid.focus();
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await expect(canvas.getByRole('row', { selected: true })).toHaveAttribute('aria-rowindex', '3');
  },
};
export const Loading: Story = { args: { mode: 'loading' } };
export const Empty: Story = { args: { mode: 'empty' } };
export const ErrorState: Story = {
  name: 'Error',
  args: { mode: 'error', errorCode: 'UNAVAILABLE' },
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole('alert', {}, { timeout: 5000 });
    await expect(alert).toHaveTextContent('UNAVAILABLE');
    await expect(within(alert).getByRole('button', { name: 'Retry' })).toBeVisible();
  },
};
export const LongList: Story = {
  name: '10,000 studies',
  args: { studyCount: 10_000, latencyMs: 0 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const grid = await canvas.findByRole('grid', {}, { timeout: 10_000 });
    await expect(grid).toHaveAttribute('aria-rowcount', '10001');
    // Virtualized: a screenful of rows in the DOM, not 10,000.
    await expect(within(grid).getAllByRole('row').length).toBeLessThan(60);
    grid.focus();
    await userEvent.keyboard('{End}');
    await waitFor(() =>
      expect(document.getElementById(grid.getAttribute('aria-activedescendant') ?? '')).toHaveAttribute(
        'aria-rowindex',
        '10001',
      ),
    );
  },
};
export const Federated: Story = { args: { sources: ['north-orthanc', 'south-dicoogle'], studyCount: 40 } };
export const Dark: Story = { args: { theme: 'dark', studyCount: 40 }, globals: { theme: 'dark' } };
export const French: Story = { args: { locale: 'fr', studyCount: 40 } };
export const Phone: Story = { args: { studyCount: 40 }, globals: phoneGlobals };
