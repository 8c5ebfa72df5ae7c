import type { PacsError } from '@pacskit/dicom';
import type { Study } from '@pacskit/sdk';
import { type CSSProperties, type ReactNode, useId, useMemo, useRef, useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../common/StatusMessage.js';
import type { StudySearchQuery } from '../hooks/studySearchQuery.js';
import { useStudySearch } from '../hooks/useStudySearch.js';
import { createPartContext, usePartContext } from '../internal/createPartContext.js';
import { formatDicomDate, formatPersonName } from '../internal/formatDicom.js';
import { useControllableState } from '../internal/useControllableState.js';
import { gridRowHeight as rowHeight, useVirtualGridRows } from '../internal/useVirtualGridRows.js';
import { isFederatedClient } from '../provider/pacsClient.js';
import { usePacsClient, usePacsI18n, usePacsScope } from '../provider/usePacs.js';
import {
  type StudyColumn,
  type StudyColumnId,
  type StudySort,
  sortStudies,
  studyColumns,
} from './studyColumns.js';

interface StudyListContextValue {
  rows: readonly Study[];
  status: 'pending' | 'error' | 'success';
  error: PacsError | null;
  retry: () => void;
  columns: readonly StudyColumn[];
  gridTemplate: string;
  selected: string | undefined;
  select: (studyInstanceUID: string) => void;
  sort: StudySort | undefined;
  setSort: (sort: StudySort) => void;
  activeIndex: number;
  setActiveIndex: (index: number) => void;
  idPrefix: string;
  height: number;
}

const StudyListContext = createPartContext<StudyListContextValue>('StudyList.Root');

export interface StudyListRootProps {
  /** Studies to show; when absent the list searches with `query` itself. */
  studies?: readonly Study[];
  query?: StudySearchQuery;
  /** Selected Study Instance UID (controlled). */
  value?: string;
  defaultValue?: string;
  onValueChange?: (studyInstanceUID: string) => void;
  sort?: StudySort;
  defaultSort?: StudySort;
  onSortChange?: (sort: StudySort) => void;
  /** Columns to show; by default all, with the source column only for a federated client. */
  columns?: readonly StudyColumnId[];
  /** Height of the scrolling area in pixels. */
  height?: number;
  'aria-label'?: string;
  className?: string;
  children?: ReactNode;
}

const noStudies: readonly Study[] = [];

export function StudyListRoot(props: StudyListRootProps) {
  const client = usePacsClient();
  const scope = usePacsScope(props.className);
  const search = useStudySearch(props.query ?? {}, { enabled: props.studies === undefined });
  const [selected, select] = useControllableState<string | undefined>({
    value: props.value,
    defaultValue: props.defaultValue,
    onChange: props.onValueChange as ((value: string | undefined) => void) | undefined,
  });
  const [sort, setSort] = useControllableState<StudySort | undefined>({
    value: props.sort,
    defaultValue: props.defaultSort,
    onChange: props.onSortChange as ((value: StudySort | undefined) => void) | undefined,
  });
  const [activeIndex, setActiveIndex] = useState(0);
  const idPrefix = useId();
  const federated = isFederatedClient(client);
  const columns = useMemo(() => {
    const wanted =
      props.columns ?? studyColumns.map((column) => column.id).filter((id) => id !== 'source' || federated);
    return studyColumns.filter((column) => wanted.includes(column.id));
  }, [props.columns, federated]);
  const source = props.studies ?? search.data?.items ?? noStudies;
  const rows = useMemo(() => sortStudies(source, sort), [source, sort]);
  const status = props.studies ? 'success' : search.status;
  const value: StudyListContextValue = {
    rows,
    status,
    error: props.studies ? null : search.error,
    retry: () => void search.refetch(),
    columns,
    gridTemplate: columns.map((column) => column.width).join(' '),
    selected,
    select: select as (uid: string) => void,
    sort,
    setSort: setSort as (sort: StudySort) => void,
    activeIndex: Math.min(activeIndex, Math.max(rows.length - 1, 0)),
    setActiveIndex,
    idPrefix,
    height: props.height ?? 420,
  };
  return (
    <StudyListContext.Provider value={value}>
      <div
        {...scope}
        data-state={status}
        className={`${scope.className} pacs-stack`}
        style={{ ...scope.style, '--pacs-columns': value.gridTemplate } as CSSProperties}
      >
        {props.children ?? <StudyListGrid aria-label={props['aria-label']} />}
      </div>
    </StudyListContext.Provider>
  );
}

export interface StudyListGridProps {
  'aria-label'?: string;
  children?: ReactNode;
}

interface StudyListGridContextValue {
  scrollElement: () => HTMLDivElement | null;
  /** Moves the active row (clamped), scrolls it into view and focuses it once rendered. */
  moveTo: (index: number) => void;
  pageSize: number;
  virtualRows: readonly { index: number; start: number }[];
  totalSize: number;
}

const StudyListGridContext = createPartContext<StudyListGridContextValue>('StudyList.Grid');

/**
 * The grid: a `<table role="grid">` in a scrolling area, with the header (sticky) and the rows,
 * virtualized — only the visible rows (plus a few) are in the DOM, so 10,000 studies scroll
 * smoothly. While loading, on error or with no rows it shows that state instead.
 * Keyboard: ↑/↓, Page Up/Down, Home/End move between rows, Enter or Space selects.
 */
export function StudyListGrid(props: StudyListGridProps) {
  const { rows, status, error, retry, columns, activeIndex, setActiveIndex, select, height, idPrefix } =
    usePartContext(StudyListContext, 'StudyList.Grid');
  const { t } = usePacsI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const { virtualizer, moveTo, pageSize, onKeyDown } = useVirtualGridRows({
    rowCount: rows.length,
    height,
    getScrollElement: () => scrollRef.current,
    activeIndex,
    setActiveIndex,
    onSelectIndex: (index) => select(rows[index]!.StudyInstanceUID),
  });

  if (status === 'pending') return <LoadingState />;
  if (status === 'error') return <ErrorState error={error} onRetry={retry} />;
  if (rows.length === 0) return <EmptyState>{t('studyList.empty')}</EmptyState>;
  const totalSize = virtualizer.getTotalSize();
  const gridValue: StudyListGridContextValue = {
    scrollElement: () => scrollRef.current,
    moveTo,
    pageSize,
    virtualRows: virtualizer.getVirtualItems(),
    totalSize,
  };
  return (
    <StudyListGridContext.Provider value={gridValue}>
      <div
        ref={scrollRef}
        className="pacs-viewport"
        style={{ '--pacs-list-height': `${height}px` } as CSSProperties}
      >
        <table
          // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA APG data grid is a table with role=grid.
          role="grid"
          aria-label={props['aria-label'] ?? t('studyList.label')}
          aria-rowcount={rows.length + 1}
          aria-colcount={columns.length}
          // Focus stays on the grid and aria-activedescendant names the active row (WAI-ARIA APG
          // grid): virtualized rows come and go, and a focused row that React moves loses focus.
          tabIndex={0}
          aria-activedescendant={`${idPrefix}-row-${activeIndex}`}
          onKeyDown={onKeyDown}
          className="pacs-table"
          style={{ height: totalSize }}
        >
          {props.children ?? (
            <>
              <StudyListHeader />
              <StudyListBody />
            </>
          )}
        </table>
      </div>
    </StudyListGridContext.Provider>
  );
}

/** Column headers; each is a button that sorts ascending, then descending. */
export function StudyListHeader() {
  const { columns, sort, setSort } = usePartContext(StudyListContext, 'StudyList.Header');
  const { t } = usePacsI18n();
  return (
    <thead className="pacs-table-head-group">
      <tr aria-rowindex={1} className="pacs-table-head" style={{ height: rowHeight }}>
        {columns.map((column) => {
          const direction = sort?.column === column.id ? sort.direction : undefined;
          return (
            <th
              key={column.id}
              scope="col"
              aria-sort={direction ?? 'none'}
              className={`pacs-cell${column.id === 'accessionNumber' ? ' pacs-hide-narrow' : ''}`}
            >
              <button
                type="button"
                className="pacs-sort"
                onClick={() =>
                  setSort({
                    column: column.id,
                    direction: direction === 'ascending' ? 'descending' : 'ascending',
                  })
                }
              >
                {t(column.label)}
                {direction ? <span aria-hidden="true">{direction === 'ascending' ? ' ▲' : ' ▼'}</span> : null}
              </button>
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/** The visible rows of the grid. */
export function StudyListBody() {
  const { rows } = usePartContext(StudyListContext, 'StudyList.Body');
  const { virtualRows } = usePartContext(StudyListGridContext, 'StudyList.Body');
  return (
    <tbody className="pacs-table-body">
      {virtualRows.map((item) => (
        <StudyListRow
          key={rows[item.index]!.StudyInstanceUID}
          study={rows[item.index]!}
          index={item.index}
          style={{ transform: `translateY(${item.start}px)`, height: rowHeight }}
        />
      ))}
    </tbody>
  );
}

export interface StudyListRowProps {
  study: Study;
  /** 0-based position in the (sorted) list. */
  index: number;
  style?: CSSProperties;
}

export function StudyListRow({ study, index, style }: StudyListRowProps) {
  const { columns, selected, select, activeIndex, setActiveIndex, idPrefix } = usePartContext(
    StudyListContext,
    'StudyList.Row',
  );
  usePartContext(StudyListGridContext, 'StudyList.Row');
  const { locale } = usePacsI18n();
  const isSelected = selected === study.StudyInstanceUID;
  const cells: Record<StudyColumnId, string> = {
    patientName: formatPersonName(study.PatientName),
    patientID: study.PatientID ?? '',
    studyDate: formatDicomDate(study.StudyDate, locale),
    modalities: study.ModalitiesInStudy.join(', '),
    description: study.StudyDescription ?? '',
    accessionNumber: study.AccessionNumber ?? '',
    source: study.sources.join(', '),
  };
  return (
    <tr
      id={`${idPrefix}-row-${index}`}
      data-index={index}
      aria-rowindex={index + 2}
      aria-selected={isSelected}
      data-state={isSelected ? 'selected' : 'idle'}
      data-active={index === activeIndex ? '' : undefined}
      className="pacs-row"
      style={style}
      onClick={() => {
        setActiveIndex(index);
        select(study.StudyInstanceUID);
      }}
    >
      {columns.map((column) => (
        <td
          key={column.id}
          className={`pacs-cell${column.id === 'accessionNumber' ? ' pacs-hide-narrow' : ''}`}
        >
          {cells[column.id]}
        </td>
      ))}
    </tr>
  );
}

/** "1,234 studies", announced politely when the result changes. */
export function StudyListCount() {
  const { rows, status } = usePartContext(StudyListContext, 'StudyList.Count');
  const { t, locale } = usePacsI18n();
  if (status !== 'success') return null;
  return (
    <output className="pacs-muted" aria-live="polite">
      {t('studyList.count', { count: new Intl.NumberFormat(locale).format(rows.length) })}
    </output>
  );
}

/** Radix-style compound parts: `<StudyList.Root><StudyList.Header /><StudyList.Body /></StudyList.Root>`. */
export const StudyList = {
  Root: StudyListRoot,
  Grid: StudyListGrid,
  Header: StudyListHeader,
  Body: StudyListBody,
  Row: StudyListRow,
  Count: StudyListCount,
};
