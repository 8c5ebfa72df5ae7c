import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import type { FixtureKnobs } from '../testing/FixturePacsProvider.js';
import { defaultKnobs, fixtureArgTypes, phoneGlobals } from '../testing/storyKnobs.js';
import { withFixturePacs } from '../testing/withFixturePacs.js';
import { ProviderDashboard } from './ProviderDashboard.js';

type Args = FixtureKnobs & { showSources?: boolean };

const meta = {
  title: 'Dashboard/ProviderDashboard',
  decorators: [withFixturePacs],
  args: { ...defaultKnobs },
  argTypes: { ...fixtureArgTypes, showSources: { control: 'boolean' } },
  render: ({ showSources }) => <ProviderDashboard {...(showSources === undefined ? {} : { showSources })} />,
  parameters: {
    docs: {
      description: {
        component:
          'Study search, the virtualized study list, the study detail with series thumbnails and the lazily loaded viewer, and (federated) the sources panel.',
      },
    },
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Data: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('grid', {}, { timeout: 5000 });
    await userEvent.selectOptions(canvas.getByLabelText('Modality'), 'MR');
    await userEvent.click(canvas.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(within(canvas.getByRole('grid')).getAllByRole('row')).toHaveLength(2));
    await userEvent.click(within(canvas.getByRole('grid')).getAllByRole('row')[1]!);
    const detail = canvas.getByRole('region', { name: 'Study detail' });
    await expect(
      await within(detail).findByText(/MR1 CompressedSamples/, {}, { timeout: 5000 }),
    ).toBeVisible();
  },
};
export const Loading: Story = { args: { mode: 'loading' } };
export const Empty: Story = { args: { mode: 'empty' } };
export const ErrorState: Story = { name: 'Error', args: { mode: 'error', errorCode: 'UNAUTHENTICATED' } };
export const LongList: Story = { name: '10,000 studies', args: { studyCount: 10_000, latencyMs: 0 } };
export const Federated: Story = { args: { sources: ['north-orthanc', 'south-dicoogle'], studyCount: 60 } };
export const Dark: Story = { args: { theme: 'dark', studyCount: 60 }, globals: { theme: 'dark' } };
export const French: Story = { args: { locale: 'fr' } };
export const Phone: Story = { globals: phoneGlobals };

/**
 * The dashboard inside a host page whose CSS styles every element (buttons, inputs, tables, `*`):
 * PacsKit's scoped styles must win inside its own components and leave the host's alone.
 */
export const InsideAggressiveHostCss: Story = {
  name: 'Inside a host page with aggressive CSS',
  render: () => (
    <div className="host-page">
      <style>{`
        .host-page * { letter-spacing: 3px; }
        button { text-transform: uppercase; font-size: 28px; background: hotpink; border: 6px dashed lime; }
        input, select { font-size: 24px; padding: 20px; background: yellow; }
        table, td, th { border: 4px solid red; padding: 30px; }
        div { margin: 4px; }
      `}</style>
      <button type="button" className="host-button">
        Host button
      </button>
      <ProviderDashboard />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('grid', {}, { timeout: 5000 });
    const ours = canvas.getByRole('button', { name: 'Search' });
    const style = getComputedStyle(ours);
    await expect(style.textTransform).toBe('none');
    await expect(style.fontSize).not.toBe('28px');
    await expect(style.borderTopStyle).toBe('solid');
    const input = canvas.getByLabelText('Patient name');
    await expect(getComputedStyle(input).backgroundColor).not.toBe('rgb(255, 255, 0)');
    const cell = canvasElement.querySelector('.pacs-row td') as HTMLElement;
    await expect(getComputedStyle(cell).borderTopWidth).toBe('0px');
    // The host keeps its own look: PacsKit's stylesheet does not reach outside its components.
    const host = canvas.getByRole('button', { name: 'Host button' });
    await expect(getComputedStyle(host).textTransform).toBe('uppercase');
    await expect(getComputedStyle(host).fontSize).toBe('28px');
  },
};
