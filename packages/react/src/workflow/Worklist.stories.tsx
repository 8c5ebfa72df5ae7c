import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import type { FixtureKnobs } from '../testing/FixturePacsProvider.js';
import { defaultKnobs, fixtureArgTypes, phoneGlobals } from '../testing/storyKnobs.js';
import { withFixturePacs } from '../testing/withFixturePacs.js';
import { Worklist } from './Worklist.js';

const meta = {
  title: 'Workflow/Worklist',
  decorators: [withFixturePacs],
  args: { ...defaultKnobs, orderCount: 60 },
  argTypes: fixtureArgTypes,
  render: () => <Worklist.Root />,
} satisfies Meta<FixtureKnobs>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Data: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const grid = await canvas.findByRole('grid', {}, { timeout: 5000 });
    await expect(within(grid).getAllByRole('row')[1]).toHaveAttribute('data-urgency', 'stat');
    await userEvent.selectOptions(canvas.getByLabelText('Body part'), 'CHEST');
    for (const row of within(canvas.getByRole('grid')).getAllByRole('row').slice(1)) {
      await expect(row).toHaveTextContent('CHEST');
    }
  },
};
export const Loading: Story = { args: { mode: 'loading' } };
export const Empty: Story = { args: { mode: 'empty' } };
export const ErrorState: Story = { name: 'Error', args: { mode: 'error', errorCode: 'UNAUTHENTICATED' } };
export const LongList: Story = { name: '10,000 orders', args: { orderCount: 10_000, latencyMs: 0 } };
export const Dark: Story = { args: { theme: 'dark' }, globals: { theme: 'dark' } };
export const French: Story = { args: { locale: 'fr' } };
export const Phone: Story = { globals: phoneGlobals };
