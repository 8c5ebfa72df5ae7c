import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { recordedInstances } from '../testing/fixtures/recordedInstances.gen.js';
import type { FixtureKnobs } from '../testing/FixturePacsProvider.js';
import { defaultKnobs, fixtureArgTypes, phoneGlobals } from '../testing/storyKnobs.js';
import { withFixturePacs } from '../testing/withFixturePacs.js';
import { ReportEditor } from './ReportEditor.js';

const ctStudyUID = recordedInstances[0]!.dataset['0020000D']!.Value![0] as string;
const mrStudyUID = recordedInstances[1]!.dataset['0020000D']!.Value![0] as string;

type Args = FixtureKnobs & { studyInstanceUID: string; modality?: string };

const meta = {
  title: 'Workflow/ReportEditor',
  decorators: [withFixturePacs],
  args: { ...defaultKnobs, studyInstanceUID: mrStudyUID, modality: 'MR' },
  argTypes: fixtureArgTypes,
  render: ({ studyInstanceUID, modality }) => (
    <ReportEditor studyInstanceUID={studyInstanceUID} {...(modality ? { modality } : {})} />
  ),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Draft: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('Status: Draft', {}, { timeout: 5000 });
    await userEvent.type(canvas.getByLabelText('Impression'), 'Small effusion, otherwise normal.');
    await userEvent.type(canvas.getByLabelText('Patient summary'), 'A little fluid in the knee.');
    await userEvent.click(canvas.getByRole('button', { name: 'Sign off (final)' }));
    await expect(await canvas.findByText(/Status: Final/, {}, { timeout: 5000 })).toBeVisible();
  },
};
export const Signed: Story = {
  name: 'Final (addendum only)',
  args: { studyInstanceUID: ctStudyUID, modality: 'CT' },
};
export const NewReport: Story = { name: 'Empty (new report)', args: { workflowMode: 'empty' } };
export const Loading: Story = { args: { mode: 'loading' } };
export const ErrorState: Story = { name: 'Error', args: { mode: 'error', errorCode: 'FORBIDDEN' } };
export const Dark: Story = { args: { theme: 'dark' }, globals: { theme: 'dark' } };
export const French: Story = { args: { locale: 'fr' } };
export const Phone: Story = { globals: phoneGlobals };
