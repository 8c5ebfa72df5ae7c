import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import type { FixtureKnobs } from '../testing/FixturePacsProvider.js';
import { defaultKnobs, fixtureArgTypes, phoneGlobals } from '../testing/storyKnobs.js';
import { withFixturePacs } from '../testing/withFixturePacs.js';
import { OrderCreateForm, OrderDetail } from './OrderManagement.js';

type Args = FixtureKnobs & { orderId?: string };

const meta = {
  title: 'Workflow/OrderManagement',
  decorators: [withFixturePacs],
  args: { ...defaultKnobs, orderId: 'order-1' },
  argTypes: fixtureArgTypes,
  render: ({ orderId }) => (
    <div className="pacs-scope" style={{ display: 'grid', gap: 12 }}>
      <OrderCreateForm />
      <OrderDetail orderId={orderId} />
    </div>
  ),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Data: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('heading', { name: /ACC000001/ }, { timeout: 5000 });
    await userEvent.type(canvas.getByLabelText('Reason for cancelling'), 'duplicate order');
    await userEvent.click(canvas.getByRole('button', { name: 'Cancel order' }));
    await expect(await canvas.findByText(/duplicate order/, {}, { timeout: 5000 })).toBeVisible();
  },
};
export const NoOrderSelected: Story = { name: 'Empty (no order selected)', args: { orderId: undefined } };
export const Loading: Story = { args: { mode: 'loading' } };
export const ErrorState: Story = { name: 'Error', args: { mode: 'error', errorCode: 'FORBIDDEN' } };
export const Dark: Story = { args: { theme: 'dark' }, globals: { theme: 'dark' } };
export const Phone: Story = { globals: phoneGlobals };
