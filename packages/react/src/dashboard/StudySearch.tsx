import { type FormEvent, type ReactNode, useId, useState } from 'react';
import type { StudySearchQuery } from '../hooks/studySearchQuery.js';
import type { MessageKey } from '../i18n/messagesEn.js';
import { createPartContext, usePartContext } from '../internal/createPartContext.js';
import { toDicomDate } from '../internal/formatDicom.js';
import { useControllableState } from '../internal/useControllableState.js';
import { isFederatedClient, sourceIdsOf } from '../provider/pacsClient.js';
import { usePacsClient, usePacsI18n, usePacsScope } from '../provider/usePacs.js';

/** Modalities offered by default (PS3.3 C.7.3.1.1.1 defined terms most portals see). */
export const defaultModalities = ['CT', 'MR', 'CR', 'DX', 'US', 'MG', 'NM', 'PT', 'XA', 'RF', 'OT'] as const;

interface StudySearchContextValue {
  draft: StudySearchQuery;
  setField: <K extends keyof StudySearchQuery>(key: K, value: StudySearchQuery[K]) => void;
  clear: () => void;
  idPrefix: string;
}

const StudySearchContext = createPartContext<StudySearchContextValue>('StudySearch.Root');

export interface StudySearchRootProps {
  /** The submitted query (controlled). */
  value?: StudySearchQuery;
  defaultValue?: StudySearchQuery;
  /** Called with the query when the user submits or clears. */
  onValueChange?: (query: StudySearchQuery) => void;
  className?: string;
  /** Fields; by default every field, the source picker in federated mode, and the actions. */
  children?: ReactNode;
}

/** A search form: edits a draft, and hands the query over on submit (Enter in any field works). */
export function StudySearchRoot(props: StudySearchRootProps) {
  const { t } = usePacsI18n();
  const scope = usePacsScope(props.className);
  const client = usePacsClient();
  const [submitted, submit] = useControllableState<StudySearchQuery>({
    value: props.value,
    defaultValue: props.defaultValue ?? {},
    onChange: props.onValueChange,
  });
  const [draft, setDraft] = useState<StudySearchQuery>(submitted);
  const idPrefix = useId();
  const value: StudySearchContextValue = {
    draft,
    setField: (key, fieldValue) => setDraft((current) => ({ ...current, [key]: fieldValue || undefined })),
    clear: () => {
      setDraft({});
      submit({});
    },
    idPrefix,
  };
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submit(draft);
  }
  return (
    <StudySearchContext.Provider value={value}>
      <div {...scope}>
        <search aria-label={t('search.label')}>
          <form className="pacs-search" onSubmit={onSubmit}>
            {props.children ?? (
              <>
                <StudySearchText field="patientName" label="search.patientName" />
                <StudySearchText field="patientID" label="search.patientID" />
                <StudySearchText field="accessionNumber" label="search.accessionNumber" />
                <StudySearchDate field="studyDateFrom" label="search.dateFrom" />
                <StudySearchDate field="studyDateTo" label="search.dateTo" />
                <StudySearchModality />
                <StudySearchText field="studyDescription" label="search.description" />
                {isFederatedClient(client) ? <StudySearchSource /> : null}
                <StudySearchActions />
              </>
            )}
          </form>
        </search>
      </div>
    </StudySearchContext.Provider>
  );
}

type TextField = 'patientName' | 'patientID' | 'accessionNumber' | 'studyDescription';

export interface StudySearchTextProps {
  field: TextField;
  label: MessageKey;
}

export function StudySearchText({ field, label }: StudySearchTextProps) {
  const { draft, setField, idPrefix } = usePartContext(StudySearchContext, 'StudySearch.Text');
  const { t } = usePacsI18n();
  const id = `${idPrefix}-${field}`;
  return (
    <div className="pacs-field">
      <label htmlFor={id} className="pacs-field-label">
        {t(label)}
      </label>
      <input
        id={id}
        className="pacs-input"
        type="search"
        autoComplete="off"
        value={draft[field] ?? ''}
        onChange={(event) => setField(field, event.target.value)}
      />
    </div>
  );
}

export interface StudySearchDateProps {
  field: 'studyDateFrom' | 'studyDateTo';
  label: MessageKey;
}

export function StudySearchDate({ field, label }: StudySearchDateProps) {
  const { draft, setField, idPrefix } = usePartContext(StudySearchContext, 'StudySearch.Date');
  const { t } = usePacsI18n();
  const id = `${idPrefix}-${field}`;
  const dicom = draft[field];
  const html = dicom ? `${dicom.slice(0, 4)}-${dicom.slice(4, 6)}-${dicom.slice(6, 8)}` : '';
  return (
    <div className="pacs-field">
      <label htmlFor={id} className="pacs-field-label">
        {t(label)}
      </label>
      <input
        id={id}
        className="pacs-input"
        type="date"
        value={html}
        onChange={(event) => setField(field, toDicomDate(event.target.value))}
      />
    </div>
  );
}

/** A labelled `<select>` whose first option, the empty value, means "any". */
function StudySearchSelectField(props: {
  id: string;
  label: string;
  anyLabel: string;
  value: string | undefined;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  return (
    <div className="pacs-field">
      <label htmlFor={props.id} className="pacs-field-label">
        {props.label}
      </label>
      <select
        id={props.id}
        className="pacs-input"
        value={props.value ?? ''}
        onChange={(event) => props.onChange(event.target.value)}
      >
        <option value="">{props.anyLabel}</option>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface StudySearchModalityProps {
  modalities?: readonly string[];
}

export function StudySearchModality({ modalities = defaultModalities }: StudySearchModalityProps) {
  const { draft, setField, idPrefix } = usePartContext(StudySearchContext, 'StudySearch.Modality');
  const { t } = usePacsI18n();
  return (
    <StudySearchSelectField
      id={`${idPrefix}-modality`}
      label={t('search.modality')}
      anyLabel={t('search.anyModality')}
      value={draft.modality}
      options={modalities}
      onChange={(value) => setField('modality', value)}
    />
  );
}

/** Federated mode: restrict to one source archive. */
export function StudySearchSource() {
  const { draft, setField, idPrefix } = usePartContext(StudySearchContext, 'StudySearch.Source');
  const { t } = usePacsI18n();
  const client = usePacsClient();
  return (
    <StudySearchSelectField
      id={`${idPrefix}-source`}
      label={t('search.source')}
      anyLabel={t('search.anySource')}
      value={draft.sourceId}
      options={sourceIdsOf(client).map((source) => source.id)}
      onChange={(value) => setField('sourceId', value)}
    />
  );
}

export function StudySearchActions() {
  const { clear } = usePartContext(StudySearchContext, 'StudySearch.Actions');
  const { t } = usePacsI18n();
  return (
    <div className="pacs-actions">
      <button type="submit" className="pacs-button">
        {t('search.submit')}
      </button>
      <button type="button" className="pacs-button" data-variant="secondary" onClick={clear}>
        {t('search.clear')}
      </button>
    </div>
  );
}

export const StudySearch = {
  Root: StudySearchRoot,
  Text: StudySearchText,
  Date: StudySearchDate,
  Modality: StudySearchModality,
  Source: StudySearchSource,
  Actions: StudySearchActions,
};
