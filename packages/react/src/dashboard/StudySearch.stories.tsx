import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import type { FixtureKnobs } from '../testing/FixturePacsProvider.js';
import { defaultKnobs, fixtureArgTypes, phoneGlobals } from '../testing/storyKnobs.js';
import { withFixturePacs } from '../testing/withFixturePacs.js';
import type { StudySearchQuery } from '../hooks/studySearchQuery.js';
import { StudySearch } from './StudySearch.js';

type Args = FixtureKnobs & { onValueChange?: (query: StudySearchQuery) => void };

const meta = {
  title: 'Dashboard/StudySearch',
  decorators: [withFixturePacs],
  args: { ...defaultKnobs, onValueChange: fn() },
  argTypes: fixtureArgTypes,
  render: ({ onValueChange }) => <StudySearch.Root {...(onValueChange ? { onValueChange } : {})} />,
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByLabelText('Patient name'), 'Doe');
    await userEvent.selectOptions(canvas.getByLabelText('Modality'), 'CT');
    await userEvent.click(canvas.getByRole('button', { name: 'Search' }));
    await expect(args.onValueChange).toHaveBeenCalledWith({ patientName: 'Doe', modality: 'CT' });
  },
};
export const Federated: Story = { args: { sources: ['north-orthanc', 'south-dicoogle'] } };
export const Dark: Story = { args: { theme: 'dark' }, globals: { theme: 'dark' } };
export const French: Story = { args: { locale: 'fr' } };
export const Phone: Story = { globals: phoneGlobals };
