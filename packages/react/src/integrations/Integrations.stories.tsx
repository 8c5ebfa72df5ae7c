import type { Meta, StoryObj } from '@storybook/react-vite';
import { useMemo } from 'react';
import { expect, within } from 'storybook/test';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { createFixtureWorkflow } from '../testing/createFixtureWorkflow.js';
import { phoneGlobals } from '../testing/storyKnobs.js';
import { PatientPortalIntegration } from './PatientPortalIntegration.js';
import { ProviderPanelIntegration } from './ProviderPanelIntegration.js';

interface Args {
  kind: 'provider' | 'patient';
  permissions: string[];
  mode: 'data' | 'empty' | 'error' | 'loading';
  theme: 'light' | 'dark';
  locale: string;
}

function Integration({ kind, permissions, mode, theme, locale }: Args) {
  const { client, workflow } = useMemo(
    () => ({
      client: createFixtureAdapter({ mode, latencyMs: 150, studyCount: 40, imageBaseUrl: '/dicom/samples/' }),
      workflow: createFixtureWorkflow({ mode, latencyMs: 150 }),
    }),
    [mode],
  );
  const host = { client, workflow, getAccessToken: async () => 'demo-token', permissions, theme, locale };
  if (kind === 'provider')
    return <ProviderPanelIntegration {...host} user={{ id: 'dr-lee', displayName: 'Dr. Lee' }} />;
  return (
    <PatientPortalIntegration
      {...host}
      user={{ id: 'patient-1', patientId: client.studies[0]?.PatientID ?? 'none' }}
      grant={{ download: true, share: true }}
    />
  );
}

const meta = {
  title: 'Integrations/HostPortal',
  args: {
    kind: 'provider',
    permissions: ['radiology:view', 'radiology:create', 'radiology:report'],
    mode: 'data',
    theme: 'light',
    locale: 'en',
  },
  argTypes: {
    kind: { control: 'inline-radio', options: ['provider', 'patient'] },
    mode: { control: 'inline-radio', options: ['data', 'empty', 'error', 'loading'] },
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    locale: { control: 'inline-radio', options: ['en', 'fr'] },
  },
  render: (args) => <Integration {...args} />,
  parameters: {
    docs: {
      description: {
        component:
          '`<ProviderPanelIntegration>` and `<PatientPortalIntegration>`: the host portal passes its user, token provider and permissions.',
      },
    },
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

export const ProviderPanel: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('tab', { name: 'Orders' })).toBeVisible();
    await expect(await canvas.findByRole('grid', {}, { timeout: 5000 })).toBeVisible();
  },
};
export const ProviderViewOnly: Story = {
  name: 'Provider: view only',
  args: { permissions: ['radiology:view'] },
};
export const ProviderNoPermission: Story = { name: 'Provider: no permission', args: { permissions: [] } };
export const ProviderLoading: Story = { name: 'Provider: loading', args: { mode: 'loading' } };
export const ProviderEmpty: Story = { name: 'Provider: empty', args: { mode: 'empty' } };
export const ProviderError: Story = { name: 'Provider: error', args: { mode: 'error' } };
export const ProviderDark: Story = {
  name: 'Provider: dark',
  args: { theme: 'dark' },
  globals: { theme: 'dark' },
};
export const PatientPortal: Story = { args: { kind: 'patient', permissions: ['radiology:view'] } };
export const PatientPhone: Story = {
  name: 'Patient: phone',
  args: { kind: 'patient', permissions: ['radiology:view'] },
  globals: phoneGlobals,
};
export const PatientFrench: Story = {
  name: 'Patient: French',
  args: { kind: 'patient', permissions: ['radiology:view'], locale: 'fr' },
};
