import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { recordedInstances } from '../testing/fixtures/recordedInstances.gen.js';
import type { FixtureKnobs } from '../testing/FixturePacsProvider.js';
import { defaultKnobs, fixtureArgTypes, phoneGlobals } from '../testing/storyKnobs.js';
import { withFixturePacs } from '../testing/withFixturePacs.js';
import { StudyDetail } from './StudyDetail.js';

const ctStudyUID = recordedInstances[0]!.dataset['0020000D']!.Value![0] as string;

type Args = FixtureKnobs & { studyInstanceUID?: string };

const meta = {
  title: 'Dashboard/StudyDetail',
  decorators: [withFixturePacs],
  args: { ...defaultKnobs, studyInstanceUID: ctStudyUID },
  argTypes: fixtureArgTypes,
  render: ({ studyInstanceUID }) => <StudyDetail.Root studyInstanceUID={studyInstanceUID} />,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Data: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const thumbnail = await canvas.findByRole('img', { name: /Preview of series/ }, { timeout: 5000 });
    await expect(thumbnail).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Open viewer' }));
    // @pacskit/viewer (Cornerstone) is only fetched now, lazily.
    await expect(await canvas.findByRole('button', { name: 'Close viewer' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
  },
};
export const ViewerOpen: Story = {
  name: 'Viewer open (real DICOM)',
  render: ({ studyInstanceUID }) => (
    <StudyDetail.Root studyInstanceUID={studyInstanceUID} defaultViewerOpen />
  ),
};
export const NoSelection: Story = {
  name: 'Empty (no study selected)',
  args: { studyInstanceUID: undefined },
};
export const Loading: Story = { args: { mode: 'loading' } };
export const ErrorState: Story = { name: 'Error', args: { mode: 'error', errorCode: 'FORBIDDEN' } };
export const Dark: Story = { args: { theme: 'dark' }, globals: { theme: 'dark' } };
export const Phone: Story = { globals: phoneGlobals };
