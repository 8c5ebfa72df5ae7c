import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import type { FixtureKnobs } from '../testing/FixturePacsProvider.js';
import { defaultKnobs, fixtureArgTypes, phoneGlobals } from '../testing/storyKnobs.js';
import { withFixturePacs } from '../testing/withFixturePacs.js';
import { SourcesPanel } from './SourcesPanel.js';

const meta = {
  title: 'Dashboard/SourcesPanel',
  decorators: [withFixturePacs],
  args: { ...defaultKnobs, sources: ['north-orthanc', 'south-dicoogle', 'cloud-postdicom'] },
  argTypes: fixtureArgTypes,
  render: () => <SourcesPanel />,
} satisfies Meta<FixtureKnobs>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Federated: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText('UNAVAILABLE', {}, { timeout: 5000 })).toBeVisible();
    await expect(canvas.getAllByText('Available')).toHaveLength(2);
  },
};
export const SingleArchive: Story = { args: { sources: undefined } };
export const SingleArchiveDown: Story = { args: { sources: undefined, mode: 'error', errorCode: 'TIMEOUT' } };
export const Loading: Story = { args: { mode: 'loading' } };
export const ErrorState: Story = { name: 'Error', args: { mode: 'error', errorCode: 'UNAVAILABLE' } };
export const Dark: Story = { args: { theme: 'dark' }, globals: { theme: 'dark' } };
export const Phone: Story = { globals: phoneGlobals };
