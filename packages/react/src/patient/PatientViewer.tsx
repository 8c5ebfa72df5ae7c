import { type ReactNode, useId, useState } from 'react';
import { usePartContext } from '../internal/createPartContext.js';
import { useControllableState } from '../internal/useControllableState.js';
import { usePacsI18n, usePacsScope } from '../provider/usePacs.js';
import { builtInExplanations, type ExplanationCatalogue, explanationsEn } from './explanations.js';
import { PatientDownload } from './PatientDownload.js';
import { PatientShare } from './PatientShare.js';
import { PatientExplanations, PatientImages, PatientReport, PatientStudyView } from './PatientStudyView.js';
import { PatientTimeline } from './PatientTimeline.js';
import { type PatientPermissions, PatientViewerContext } from './patientViewerContext.js';

export interface PatientViewerRootProps {
  /** The patient whose studies to show (the archive also enforces the patient's scope). */
  patientID?: string;
  permissions?: PatientPermissions;
  /** Whether the patient has consented (controlled); nothing is shown before. */
  consented?: boolean;
  defaultConsented?: boolean;
  onConsentedChange?: (consented: boolean) => void;
  /** The open study (controlled). */
  value?: string;
  defaultValue?: string;
  onValueChange?: (studyInstanceUID: string | undefined) => void;
  /** Explanations catalogue; by default the built-in one of the provider's language. */
  explanations?: ExplanationCatalogue;
  now?: () => number;
  className?: string;
  /** Parts shown after consent; by default the timeline, or the open study. */
  children?: ReactNode;
}

/**
 * The patient's own imaging: a consent step first, then the study history, and for a study the
 * plain-language explanations, the released report, a simplified viewer, download and share when
 * the grant allows. One column, large touch targets: made for a phone.
 */
export function PatientViewerRoot(props: PatientViewerRootProps) {
  const { t, locale } = usePacsI18n();
  const scope = usePacsScope(props.className ? `pacs-patient ${props.className}` : 'pacs-patient');
  const [consented, setConsented] = useControllableState({
    value: props.consented,
    defaultValue: props.defaultConsented ?? false,
    onChange: props.onConsentedChange,
  });
  const [selected, select] = useControllableState<string | undefined>({
    value: props.value,
    defaultValue: props.defaultValue,
    onChange: props.onValueChange,
  });
  const language = locale.toLowerCase().split('-')[0] ?? 'en';
  const value = {
    patientID: props.patientID,
    permissions: props.permissions ?? {},
    consented,
    setConsented,
    selected,
    select,
    explanations: props.explanations ?? builtInExplanations[language] ?? explanationsEn,
    now: props.now ?? Date.now,
  };
  return (
    <PatientViewerContext.Provider value={value}>
      <section
        {...scope}
        aria-label={t('patient.label')}
        data-state={consented ? 'consented' : 'consent-required'}
      >
        {!consented ? (
          <PatientViewerConsent />
        ) : (
          (props.children ?? (selected ? <PatientStudyView /> : <PatientTimeline />))
        )}
      </section>
    </PatientViewerContext.Provider>
  );
}

/** The consent step: nothing about the patient is fetched or shown until it is accepted. */
export function PatientViewerConsent() {
  const { setConsented } = usePartContext(PatientViewerContext, 'PatientViewer.Consent');
  const { t } = usePacsI18n();
  const [checked, setChecked] = useState(false);
  const id = useId();
  return (
    <section className="pacs-card pacs-stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="pacs-heading">
        {t('patient.consentTitle')}
      </h2>
      <p>{t('patient.consentBody')}</p>
      <label htmlFor={`${id}-check`} className="pacs-actions">
        <input
          id={`${id}-check`}
          type="checkbox"
          checked={checked}
          onChange={(event) => setChecked(event.target.checked)}
        />
        {t('patient.consentCheckbox')}
      </label>
      <div className="pacs-actions">
        <button type="button" className="pacs-button" disabled={!checked} onClick={() => setConsented(true)}>
          {t('patient.consentContinue')}
        </button>
      </div>
    </section>
  );
}

/** Radix-style parts: `<PatientViewer.Root>` with Consent, Timeline, StudyView and its sections. */
export const PatientViewer = {
  Root: PatientViewerRoot,
  Consent: PatientViewerConsent,
  Timeline: PatientTimeline,
  StudyView: PatientStudyView,
  Explanations: PatientExplanations,
  Report: PatientReport,
  Images: PatientImages,
  Download: PatientDownload,
  Share: PatientShare,
};
