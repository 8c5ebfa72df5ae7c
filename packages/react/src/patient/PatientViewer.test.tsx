import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { axe } from 'vitest-axe';
import { renderWithPacs } from '../../test/render.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { createFixtureWorkflow } from '../testing/createFixtureWorkflow.js';
import { PatientDownload } from './PatientDownload.js';
import { PatientViewer } from './PatientViewer.js';
import { PatientExplanations, PatientReport, PatientStudyView } from './PatientStudyView.js';
import { PatientShare } from './PatientShare.js';

vi.mock('@pacskit/viewer', () => ({ DicomViewer: {} }));

const ctStudyUID = '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322';
const mrStudyUID = '1.3.6.1.4.1.5962.1.2.4.20040826185059.5457';

describe('PatientViewer', () => {
  it('asks for consent before fetching or showing anything', async () => {
    const client = createFixtureAdapter();
    const { container } = renderWithPacs(<PatientViewer.Root />, client, {
      workflow: createFixtureWorkflow(),
    });
    expect(screen.getByRole('heading', { name: 'Before you view your images' })).toBeInTheDocument();
    expect(client.callCount).toBe(0);
    const proceed = screen.getByRole('button', { name: 'Continue' });
    expect(proceed).toBeDisabled();
    expect(await axe(container)).toHaveNoViolations();
    await userEvent.click(screen.getByRole('checkbox', { name: 'I understand and want to see my images' }));
    await userEvent.click(proceed);
    expect(await screen.findByRole('heading', { name: 'My studies' })).toBeInTheDocument();
    expect(client.callCount).toBeGreaterThan(0);
  });

  it('lists the studies newest first and opens one, with explanations and the released report', async () => {
    const onValueChange = vi.fn();
    const { container } = renderWithPacs(
      <PatientViewer.Root defaultConsented onValueChange={onValueChange} />,
      createFixtureAdapter(),
      { workflow: createFixtureWorkflow() },
    );
    const timeline = await screen.findByRole('list');
    const items = within(timeline).getAllByRole('button');
    // MR_small (2004-08-26) is newer than CT_small (2004-01-19).
    expect(items[0]).toHaveTextContent('MRI');
    expect(items[1]).toHaveTextContent('CT scan');
    expect(await axe(container)).toHaveNoViolations();
    await userEvent.click(items[1]!);
    expect(onValueChange).toHaveBeenCalledWith(ctStudyUID);
    const summary = await screen.findByText(/Your head scan looks normal/);
    expect(summary).toBeInTheDocument();
    const explanations = screen.getByRole('region', { name: 'What this means' });
    expect(within(explanations).getByText('CT scan')).toBeInTheDocument();
    // "unremarkable" in the impression brings its plain-language meaning.
    expect(within(explanations).getByText('Unremarkable')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('heading', { level: 2 })).toHaveFocus());
    expect(await axe(container)).toHaveNoViolations();
    await userEvent.click(screen.getByRole('button', { name: /Back to my studies/ }));
    expect(await screen.findByRole('heading', { name: 'My studies' })).toBeInTheDocument();
  });

  it('does not show a draft report', async () => {
    renderWithPacs(
      <PatientViewer.Root defaultConsented defaultValue={mrStudyUID}>
        <PatientStudyView>
          <PatientReport />
        </PatientStudyView>
      </PatientViewer.Root>,
      createFixtureAdapter(),
      { workflow: createFixtureWorkflow() },
    );
    expect(
      await screen.findByText('The report for this study has not been released yet.'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Small joint effusion.')).not.toBeInTheDocument();
  });

  it('offers download and share only when the grant allows', async () => {
    renderWithPacs(
      <PatientViewer.Root defaultConsented defaultValue={ctStudyUID} />,
      createFixtureAdapter(),
      {
        workflow: createFixtureWorkflow(),
      },
    );
    await screen.findByText(/Your head scan looks normal/);
    expect(screen.queryByRole('region', { name: 'Download' })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Share with a doctor' })).not.toBeInTheDocument();
  });

  it('downloads a ZIP of the real DICOM files', async () => {
    const onDownload = vi.fn();
    renderWithPacs(
      <PatientViewer.Root defaultConsented defaultValue={ctStudyUID} permissions={{ download: true }}>
        <PatientDownload onDownload={onDownload} />
      </PatientViewer.Root>,
      createFixtureAdapter(),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Download DICOM (ZIP)' }));
    await waitFor(() => expect(onDownload).toHaveBeenCalled());
    const { data, format } = onDownload.mock.calls[0]![0] as { data: Uint8Array; format: string };
    expect(format).toBe('dicom');
    const text = new TextDecoder('latin1').decode(data);
    expect(text.startsWith('PK\u0003\u0004')).toBe(true);
    // The stored entry is the Part 10 file: 30-byte header + name, 128-byte preamble, then "DICM".
    const name = 'DICOM/IM0001.dcm';
    expect(text.slice(30, 30 + name.length)).toBe(name);
    expect(text.slice(30 + name.length + 128, 30 + name.length + 132)).toBe('DICM');
  });

  it('creates an expiring share link for a doctor', async () => {
    const now = () => Date.UTC(2025, 0, 1);
    const workflow = createFixtureWorkflow({ now });
    renderWithPacs(
      <PatientViewer.Root defaultConsented defaultValue={ctStudyUID} permissions={{ share: true }} now={now}>
        <PatientShare />
      </PatientViewer.Root>,
      createFixtureAdapter(),
      { workflow },
    );
    await userEvent.selectOptions(screen.getByLabelText('Link valid for'), '30');
    await userEvent.click(screen.getByRole('button', { name: 'Create link' }));
    expect(await screen.findByText(/Link created. It expires on/)).toBeInTheDocument();
    expect((screen.getByLabelText('Link to send to your doctor') as HTMLInputElement).value).toMatch(
      /^https:\/\/portal\.example\.org\/shared\//,
    );
    expect(workflow.shareLinkList[0]).toMatchObject({
      studyInstanceUID: ctStudyUID,
      expiresAt: new Date(now() + 30 * 86_400_000).toISOString(),
    });
  });

  it('shows the PacsError code when the workflow fails', async () => {
    renderWithPacs(
      <PatientViewer.Root defaultConsented defaultValue={ctStudyUID}>
        <PatientReport />
      </PatientViewer.Root>,
      createFixtureAdapter(),
      { workflow: createFixtureWorkflow({ mode: 'error', errorCode: 'FORBIDDEN' }) },
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('FORBIDDEN');
  });

  it('explains in French', async () => {
    renderWithPacs(
      <PatientViewer.Root defaultConsented defaultValue={ctStudyUID}>
        <PatientExplanations />
      </PatientViewer.Root>,
      createFixtureAdapter(),
      { locale: 'fr', workflow: createFixtureWorkflow() },
    );
    expect(await screen.findByText('Scanner')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Ce que cela signifie' })).toBeInTheDocument();
  });
});
