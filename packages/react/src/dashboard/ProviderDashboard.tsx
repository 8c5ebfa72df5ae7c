import { type ReactNode, useState } from 'react';
import type { StudySearchQuery } from '../hooks/studySearchQuery.js';
import { isFederatedClient } from '../provider/pacsClient.js';
import { usePacsClient, usePacsI18n, usePacsScope } from '../provider/usePacs.js';
import { SourcesPanel } from './SourcesPanel.js';
import { StudyDetail } from './StudyDetail.js';
import { StudyList } from './StudyList.js';
import { StudySearch } from './StudySearch.js';

export interface ProviderDashboardProps {
  /** Initial search (e.g. today's studies). */
  defaultQuery?: StudySearchQuery;
  /** The selected study (controlled). */
  studyInstanceUID?: string;
  defaultStudyInstanceUID?: string;
  onStudyChange?: (studyInstanceUID: string) => void;
  /** Show the sources panel; by default only for a federated client. */
  showSources?: boolean;
  /** Extra panels (e.g. `<Worklist />`) shown above the search, in the main column. */
  children?: ReactNode;
  className?: string;
}

/**
 * The clinician's dashboard: study search, the virtualized study list, the selected study's detail
 * (series and the lazily loaded viewer) and, for federated clients, the sources panel. Every part
 * is exported on its own for portals that lay them out differently.
 */
export function ProviderDashboard(props: ProviderDashboardProps) {
  const client = usePacsClient();
  const { t } = usePacsI18n();
  const scope = usePacsScope(props.className ? `pacs-dashboard ${props.className}` : 'pacs-dashboard');
  const [query, setQuery] = useState<StudySearchQuery>(props.defaultQuery ?? {});
  const [ownSelection, setOwnSelection] = useState(props.defaultStudyInstanceUID);
  const selected = props.studyInstanceUID ?? ownSelection;
  const select = (uid: string) => {
    if (props.studyInstanceUID === undefined) setOwnSelection(uid);
    props.onStudyChange?.(uid);
  };
  const showSources = props.showSources ?? isFederatedClient(client);
  return (
    <section {...scope} aria-label={t('dashboard.label')}>
      <div className="pacs-stack">
        {props.children}
        <StudySearch.Root value={query} onValueChange={setQuery} />
        <StudyList.Root query={query} {...(selected ? { value: selected } : {})} onValueChange={select}>
          <StudyList.Count />
          <StudyList.Grid />
        </StudyList.Root>
      </div>
      <div className="pacs-stack">
        <StudyDetail.Root key={selected} studyInstanceUID={selected} />
        {showSources ? <SourcesPanel /> : null}
      </div>
    </section>
  );
}
