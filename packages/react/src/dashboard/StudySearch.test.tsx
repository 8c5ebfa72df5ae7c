import { screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { axe } from 'vitest-axe';
import { renderWithPacs } from '../../test/render.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { StudySearch } from './StudySearch.js';

describe('StudySearch', () => {
  it('submits every field as one query, with dates as DICOM DA', async () => {
    const onValueChange = vi.fn();
    const { container } = renderWithPacs(
      <StudySearch.Root onValueChange={onValueChange} />,
      createFixtureAdapter(),
    );
    await userEvent.type(screen.getByLabelText('Patient name'), 'Doe');
    await userEvent.type(screen.getByLabelText('Patient ID'), 'P1');
    await userEvent.type(screen.getByLabelText('Accession number'), 'A9');
    await userEvent.type(screen.getByLabelText('From date'), '2024-01-02');
    await userEvent.selectOptions(screen.getByLabelText('Modality'), 'MR');
    await userEvent.type(screen.getByLabelText('Description'), 'knee{Enter}');
    expect(onValueChange).toHaveBeenLastCalledWith({
      patientName: 'Doe',
      patientID: 'P1',
      accessionNumber: 'A9',
      studyDateFrom: '20240102',
      modality: 'MR',
      studyDescription: 'knee',
    });
    expect(screen.queryByLabelText('Source archive')).not.toBeInTheDocument();
    expect(await axe(container)).toHaveNoViolations();
  });

  it('clears the form and submits an empty query', async () => {
    const onValueChange = vi.fn();
    renderWithPacs(
      <StudySearch.Root defaultValue={{ patientName: 'Doe' }} onValueChange={onValueChange} />,
      createFixtureAdapter(),
    );
    expect(screen.getByLabelText('Patient name')).toHaveValue('Doe');
    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(screen.getByLabelText('Patient name')).toHaveValue('');
    expect(onValueChange).toHaveBeenLastCalledWith({});
  });

  it('offers the source archives of a federated client', async () => {
    const onValueChange = vi.fn();
    renderWithPacs(
      <StudySearch.Root onValueChange={onValueChange} />,
      createFixtureAdapter({ sources: ['north', 'south'] }),
    );
    await userEvent.selectOptions(screen.getByLabelText('Source archive'), 'south');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(onValueChange).toHaveBeenLastCalledWith({ sourceId: 'south' });
  });

  it('is translated', () => {
    const { container } = renderWithPacs(<StudySearch.Root />, createFixtureAdapter(), { locale: 'fr' });
    expect(container.querySelector('search')).toHaveAttribute('aria-label', "Recherche d'examens");
    expect(screen.getByLabelText('Nom du patient')).toBeInTheDocument();
  });
});
