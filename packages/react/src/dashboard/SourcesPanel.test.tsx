import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { axe } from 'vitest-axe';
import { renderWithPacs } from '../../test/render.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { SourcesPanel } from './SourcesPanel.js';

describe('SourcesPanel', () => {
  it("shows each federated source's health with its error code", async () => {
    const { container } = renderWithPacs(
      <SourcesPanel />,
      createFixtureAdapter({ sources: ['north', 'south'] }),
    );
    expect(await screen.findByText('north')).toBeInTheDocument();
    expect(screen.getByText('UNAVAILABLE')).toBeInTheDocument();
    expect(screen.getByText('Available')).toBeInTheDocument();
    expect(await axe(container)).toHaveNoViolations();
  });

  it('echoes a single adapter and shows it down with the code when the echo fails', async () => {
    renderWithPacs(
      <SourcesPanel />,
      createFixtureAdapter({ id: 'solo', mode: 'error', errorCode: 'TIMEOUT' }),
    );
    expect(await screen.findByText('solo')).toBeInTheDocument();
    expect(screen.getByText('Unavailable')).toBeInTheDocument();
    expect(screen.getByText('TIMEOUT')).toBeInTheDocument();
  });
});
