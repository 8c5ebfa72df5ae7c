import { useId } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../common/StatusMessage.js';
import { useSourcesHealth } from '../hooks/useSourcesHealth.js';
import type { MessageKey } from '../i18n/messagesEn.js';
import { usePacsI18n, usePacsScope } from '../provider/usePacs.js';

export interface SourcesPanelProps {
  /** Re-check every so many milliseconds. */
  refetchInterval?: number;
  className?: string;
}

const stateLabels: Record<'up' | 'down' | 'unknown', MessageKey> = {
  up: 'sources.up',
  down: 'sources.down',
  unknown: 'sources.unknown',
};

/** Each source archive with its state, latency and last error code, and a "Check now" button. */
export function SourcesPanel({ refetchInterval, className }: SourcesPanelProps) {
  const { t } = usePacsI18n();
  const scope = usePacsScope(className ? `pacs-card ${className}` : 'pacs-card');
  const health = useSourcesHealth(refetchInterval ? { refetchInterval } : {});
  const headingId = useId();
  return (
    <section {...scope} aria-labelledby={headingId} data-state={health.status}>
      <h3 id={headingId} className="pacs-heading">
        {t('sources.label')}
      </h3>
      {health.isPending ? (
        <LoadingState />
      ) : health.isError ? (
        <ErrorState error={health.error} onRetry={() => void health.refetch()} />
      ) : health.data.length === 0 ? (
        <EmptyState>{t('sources.empty')}</EmptyState>
      ) : (
        <>
          <ul className="pacs-list">
            {health.data.map((source) => (
              <li key={source.id} className="pacs-actions" data-state={source.state}>
                <span className="pacs-badge" data-state={source.state}>
                  {t(stateLabels[source.state])}
                </span>
                <strong>{source.id}</strong>
                {source.latencyMs === undefined ? null : (
                  <span className="pacs-muted">
                    {t('sources.latency', { ms: Math.round(source.latencyMs) })}
                  </span>
                )}
                {source.errorCode ? <span className="pacs-code">{source.errorCode}</span> : null}
              </li>
            ))}
          </ul>
          <div className="pacs-actions">
            <button
              type="button"
              className="pacs-button"
              data-variant="secondary"
              disabled={health.isFetching}
              onClick={() => void health.refetch()}
            >
              {t('sources.check')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
