import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { recordedInstances } from '../testing/fixtures/recordedInstances.gen.js';
import type { FixtureKnobs } from '../testing/FixturePacsProvider.js';
import { defaultKnobs, fixtureArgTypes, phoneGlobals } from '../testing/storyKnobs.js';
import { withFixturePacs } from '../testing/withFixturePacs.js';
import { PatientViewer } from './PatientViewer.js';

const ctStudyUID = recordedInstances[0]!.dataset['0020000D']!.Value![0] as string;

type Args = FixtureKnobs & {
  download?: boolean;
  share?: boolean;
  defaultConsented?: boolean;
  defaultValue?: string;
};

const meta = {
  title: 'Patient/PatientViewer',
  decorators: [withFixturePacs],
  args: { ...defaultKnobs, download: true, share: true, defaultConsented: true },
  argTypes: { ...fixtureArgTypes, download: { control: 'boolean' }, share: { control: 'boolean' } },
  render: ({ download, share, defaultConsented, defaultValue }) => (
    <PatientViewer.Root
      permissions={{ download: download ?? false, share: share ?? false }}
      defaultConsented={defaultConsented ?? false}
      {...(defaultValue ? { defaultValue } : {})}
    />
  ),
  parameters: {
    docs: {
      description: {
        component:
          'The patient portal viewer: consent first, the study timeline, plain-language explanations (data, translatable), the released report with its patient summary, a simplified viewer, download and share when the grant allows.',
      },
    },
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Consent: Story = {
  args: { defaultConsented: false },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const proceed = canvas.getByRole('button', { name: 'Continue' });
    await expect(proceed).toBeDisabled();
    await userEvent.click(canvas.getByRole('checkbox'));
    await userEvent.click(proceed);
    await expect(await canvas.findByRole('heading', { name: 'My studies' }, { timeout: 5000 })).toBeVisible();
  },
};
export const Timeline: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const items = within(await canvas.findByRole('list', {}, { timeout: 5000 })).getAllByRole('button');
    await userEvent.click(items[1]!);
    await expect(await canvas.findByText(/Your head scan looks normal/, {}, { timeout: 5000 })).toBeVisible();
    await expect(canvas.getByRole('region', { name: 'What this means' })).toHaveTextContent('CT scan');
  },
};
export const StudyWithReport: Story = { args: { defaultValue: ctStudyUID } };
export const ViewOnlyGrant: Story = {
  name: 'View-only grant',
  args: { defaultValue: ctStudyUID, download: false, share: false },
};
export const Loading: Story = { args: { mode: 'loading' } };
export const Empty: Story = { args: { mode: 'empty' } };
export const ErrorState: Story = { name: 'Error', args: { mode: 'error', errorCode: 'FORBIDDEN' } };
export const LongHistory: Story = { name: 'Long history', args: { studyCount: 200 } };
export const Dark: Story = { args: { theme: 'dark', defaultValue: ctStudyUID }, globals: { theme: 'dark' } };
export const French: Story = { args: { locale: 'fr', defaultValue: ctStudyUID } };
export const Phone: Story = { args: { defaultValue: ctStudyUID }, globals: phoneGlobals };
export const PhoneConsent: Story = {
  name: 'Phone: consent',
  args: { defaultConsented: false },
  globals: phoneGlobals,
};
