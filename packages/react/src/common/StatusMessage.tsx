import { isPacsError } from '@pacskit/dicom';
import type { ReactNode } from 'react';
import { usePacsI18n } from '../provider/usePacs.js';

export interface LoadingStateProps {
  label?: string;
}

/** A polite live region, so screen readers hear that something is loading. */
export function LoadingState({ label }: LoadingStateProps) {
  const { t } = usePacsI18n();
  return (
    <div className="pacs-state" data-state="loading" role="status" aria-live="polite">
      {label ?? t('state.loading')}
    </div>
  );
}

export interface EmptyStateProps {
  children?: ReactNode;
}

export function EmptyState({ children }: EmptyStateProps) {
  const { t } = usePacsI18n();
  return (
    <div className="pacs-state" data-state="empty" role="status">
      {children ?? t('state.empty')}
    </div>
  );
}

export interface ErrorStateProps {
  error: unknown;
  /** Shows a Retry button when given. */
  onRetry?: () => void;
}

/** Shows the PacsError code (what support asks for) and a retry; never the raw message, which may be technical. */
export function ErrorState({ error, onRetry }: ErrorStateProps) {
  const { t } = usePacsI18n();
  const code = isPacsError(error) ? error.code : 'INTERNAL';
  return (
    <div className="pacs-state" data-state="error" role="alert" data-error-code={code}>
      <p>{t('state.error')}</p>
      <p className="pacs-code">{t('state.errorCode', { code })}</p>
      {onRetry ? (
        <button type="button" className="pacs-button" data-variant="secondary" onClick={onRetry}>
          {t('state.retry')}
        </button>
      ) : null}
    </div>
  );
}
