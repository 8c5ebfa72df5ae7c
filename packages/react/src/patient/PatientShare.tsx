import { type FormEvent, useId, useState } from 'react';
import { ErrorState } from '../common/StatusMessage.js';
import { usePartContext } from '../internal/createPartContext.js';
import { usePacsI18n } from '../provider/usePacs.js';
import { useCreateShareLink } from '../workflow/useShareLinks.js';
import { PatientViewerContext } from './patientViewerContext.js';

const expiryDays = [1, 7, 30] as const;
const dayMs = 86_400_000;

/** Share the open study with a doctor through an expiring link, when the grant allows. */
export function PatientShare() {
  const { selected, permissions } = usePartContext(PatientViewerContext, 'PatientViewer.Share');
  const { t, locale } = usePacsI18n();
  const [days, setDays] = useState<number>(7);
  const [allowDownload, setAllowDownload] = useState(false);
  const create = useCreateShareLink();
  const id = useId();
  if (!permissions.share || !selected) return null;
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ studyInstanceUID: selected!, expiresInSeconds: (days * dayMs) / 1000, allowDownload });
  }
  const link = create.data;
  return (
    <section className="pacs-card pacs-stack" aria-label={t('patient.share')}>
      <h3 className="pacs-heading">{t('patient.share')}</h3>
      <form className="pacs-stack" onSubmit={onSubmit}>
        <div className="pacs-field">
          <label htmlFor={`${id}-days`} className="pacs-field-label">
            {t('patient.shareExpires')}
          </label>
          <select
            id={`${id}-days`}
            className="pacs-input"
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
          >
            {expiryDays.map((count) => (
              <option key={count} value={count}>
                {t('patient.shareDays', { count })}
              </option>
            ))}
          </select>
        </div>
        {permissions.download ? (
          <label htmlFor={`${id}-download`} className="pacs-actions">
            <input
              id={`${id}-download`}
              type="checkbox"
              checked={allowDownload}
              onChange={(event) => setAllowDownload(event.target.checked)}
            />
            {t('patient.shareAllowDownload')}
          </label>
        ) : null}
        <div className="pacs-actions">
          <button type="submit" className="pacs-button" disabled={create.isPending}>
            {t('patient.shareCreate')}
          </button>
        </div>
      </form>
      {create.isError ? <ErrorState error={create.error} onRetry={() => create.reset()} /> : null}
      {link ? (
        <div role="status" className="pacs-stack">
          <p>
            {t('patient.shareCreated', {
              date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(
                new Date(Date.parse(link.expiresAt)),
              ),
            })}
          </p>
          {link.url ? (
            <label className="pacs-field">
              <span className="pacs-field-label">{t('patient.shareLink')}</span>
              <input
                className="pacs-input"
                readOnly
                value={link.url}
                onFocus={(event) => event.target.select()}
              />
            </label>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
