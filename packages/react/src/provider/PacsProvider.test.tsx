import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ErrorState } from '../common/StatusMessage.js';
import { messagesEn } from '../i18n/messagesEn.js';
import { messagesFr } from '../i18n/messagesFr.js';
import { pacsStyles } from '../theme/pacsStyles.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { PacsProvider } from './PacsProvider.js';
import { usePacsScope } from './usePacs.js';
import { PacsError } from '@pacskit/dicom';

function Scoped() {
  return <div data-testid="scoped" {...usePacsScope()} />;
}

describe('PacsProvider', () => {
  it('translates into the locale it is given, with host overrides on top', () => {
    render(
      <PacsProvider client={createFixtureAdapter()} locale="fr-CA" messages={{ 'state.retry': 'Encore' }}>
        <ErrorState error={new PacsError('TIMEOUT')} onRetry={() => {}} />
      </PacsProvider>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent(messagesFr['state.error']);
    expect(screen.getByRole('alert')).toHaveTextContent('TIMEOUT');
    expect(screen.getByRole('button')).toHaveTextContent('Encore');
  });

  it('falls back to English for an unknown locale', () => {
    render(
      <PacsProvider client={createFixtureAdapter()} locale="tlh">
        <ErrorState error={new Error('boom')} />
      </PacsProvider>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent(messagesEn['state.error']);
    expect(screen.getByRole('alert')).toHaveTextContent('INTERNAL');
  });

  it('puts theme and brand on component roots, not on the host page', () => {
    const { container } = render(
      <PacsProvider client={createFixtureAdapter()} theme="dark" brand={{ primary: 'rebeccapurple' }}>
        <Scoped />
      </PacsProvider>,
    );
    const scoped = screen.getByTestId('scoped');
    expect(scoped).toHaveAttribute('data-pacs-theme', 'dark');
    expect(scoped).toHaveClass('pacs-scope');
    expect(scoped.style.getPropertyValue('--pacs-primary')).toBe('rebeccapurple');
    // The provider adds no wrapper element of its own: the host's layout is untouched.
    expect(container.firstElementChild).toBe(scoped);
  });

  it('ships a stylesheet whose every selector is scoped under .pacs-', () => {
    const rules = pacsStyles
      .replace(/@media[^{]*\{/g, '')
      // A :where(div,span,…) list sits inside a scoped selector; keep its commas out of the split.
      .replace(/:where\([^)]*\)/g, ':where()')
      .split('}');
    const selectors = rules
      .map((rule) => rule.split('{')[0]!.trim())
      .filter(Boolean)
      .flatMap((selector) => selector.split(','))
      .map((selector) => selector.trim());
    expect(selectors.length).toBeGreaterThan(20);
    for (const selector of selectors) expect(selector).toMatch(/^\.pacs-/);
  });

  it('every French message exists for every English key', () => {
    expect(Object.keys(messagesFr).sort()).toEqual(Object.keys(messagesEn).sort());
  });
});
