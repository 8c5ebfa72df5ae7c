import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { axe } from 'vitest-axe';
import { renderWithPacs } from '../../test/render.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { createFixtureWorkflow } from '../testing/createFixtureWorkflow.js';
import { ReportEditor } from './ReportEditor.js';

const client = createFixtureAdapter();
const ctStudyUID = '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322';
const mrStudyUID = '1.3.6.1.4.1.5962.1.2.4.20040826185059.5457';

describe('ReportEditor', () => {
  it('applies a template, marks preliminary, then signs off with a patient summary', async () => {
    const workflow = createFixtureWorkflow();
    const onSigned = vi.fn();
    const { container } = renderWithPacs(
      <ReportEditor studyInstanceUID={mrStudyUID} modality="MR" onSigned={onSigned} />,
      client,
      { workflow },
    );
    expect(await screen.findByText('Status: Draft')).toBeInTheDocument();
    expect(screen.getByLabelText('Findings')).toHaveValue('Small joint effusion.');
    // Templates load on their own; wait for the MR one before choosing it.
    await screen.findByRole('option', { name: 'MR knee' });
    await userEvent.selectOptions(screen.getByLabelText('Template'), 'tpl-mr-knee');
    await userEvent.click(screen.getByRole('button', { name: 'Apply template' }));
    expect((screen.getByLabelText('Findings') as HTMLTextAreaElement).value).toContain('Menisci:');
    await userEvent.type(screen.getByLabelText('Impression'), 'Intact menisci.');
    await userEvent.click(screen.getByRole('button', { name: 'Mark preliminary' }));
    expect(await screen.findByText(/Status: Preliminary/)).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Patient summary'), 'Your knee looks fine.');
    expect(await axe(container)).toHaveNoViolations();
    await userEvent.click(screen.getByRole('button', { name: 'Sign off (final)' }));
    expect(await screen.findByText(/Status: Final/)).toBeInTheDocument();
    expect(onSigned).toHaveBeenCalledWith(expect.objectContaining({ status: 'final' }));
    const report = workflow.reportList.find((candidate) => candidate.studyInstanceUID === mrStudyUID)!;
    expect(report).toMatchObject({
      status: 'final',
      impression: 'Intact menisci.',
      patientSummary: 'Your knee looks fine.',
    });
    expect(screen.getByLabelText('Findings')).toHaveAttribute('readonly');
  });

  it('only adds an addendum to a signed report', async () => {
    const workflow = createFixtureWorkflow();
    renderWithPacs(<ReportEditor studyInstanceUID={ctStudyUID} />, client, { workflow });
    expect(await screen.findByText(/Status: Final/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save draft' })).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Add addendum'), 'Compared with prior: unchanged.');
    await userEvent.click(screen.getByRole('button', { name: 'Add addendum' }));
    await waitFor(() => expect(screen.getByText(/Status: Amended/)).toBeInTheDocument());
    expect(workflow.reportList[0]).toMatchObject({
      status: 'amended',
      addendum: 'Compared with prior: unchanged.',
    });
  });

  it('starts a new report for a study without one', async () => {
    const workflow = createFixtureWorkflow({ mode: 'empty' });
    renderWithPacs(<ReportEditor studyInstanceUID="1.2.3" />, client, { workflow });
    await userEvent.type(await screen.findByLabelText('Findings'), 'Normal.');
    await userEvent.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(workflow.reportList).toHaveLength(1));
    expect(workflow.reportList[0]).toMatchObject({
      studyInstanceUID: '1.2.3',
      findings: 'Normal.',
      status: 'draft',
    });
  });
});
