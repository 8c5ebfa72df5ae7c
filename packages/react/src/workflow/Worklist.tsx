import type { Order } from '@pacskit/sdk';
import { type ReactNode, useId, useMemo } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../common/StatusMessage.js';
import { createPartContext, usePartContext } from '../internal/createPartContext.js';
import { formatPersonName } from '../internal/formatDicom.js';
import { labelFor } from '../internal/labelFor.js';
import { useControllableState } from '../internal/useControllableState.js';
import {
  sortRows,
  VirtualGrid,
  type VirtualGridColumn,
  type VirtualGridSort,
} from '../internal/VirtualGrid.js';
import { usePacsI18n, usePacsScope } from '../provider/usePacs.js';
import { useWorklist } from './useWorklist.js';

export interface WorklistFilters {
  modality?: string;
  bodyPart?: string;
  status?: string;
  urgency?: string;
}

interface WorklistContextValue {
  orders: readonly Order[];
  filtered: readonly Order[];
  status: 'pending' | 'error' | 'success';
  error: unknown;
  retry: () => void;
  filters: WorklistFilters;
  setFilters: (filters: WorklistFilters) => void;
  selected: string | undefined;
  select: (orderId: string) => void;
  sort: VirtualGridSort | undefined;
  setSort: (sort: VirtualGridSort) => void;
  height: number;
}

const WorklistContext = createPartContext<WorklistContextValue>('Worklist.Root');

const urgencyRank: Record<string, number> = { stat: 0, urgent: 1, routine: 2 };

function timeOf(value: number | string | undefined): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  return typeof value === 'number' ? value : Date.parse(value);
}

export interface WorklistRootProps {
  /** Orders to show; when absent the worklist loads them with `useWorklist`. */
  orders?: readonly Order[];
  filters?: WorklistFilters;
  defaultFilters?: WorklistFilters;
  onFiltersChange?: (filters: WorklistFilters) => void;
  /** The selected order id (controlled). */
  value?: string;
  defaultValue?: string;
  onValueChange?: (orderId: string) => void;
  sort?: VirtualGridSort;
  defaultSort?: VirtualGridSort;
  onSortChange?: (sort: VirtualGridSort) => void;
  refetchInterval?: number;
  height?: number;
  className?: string;
  children?: ReactNode;
}

/** The imaging worklist: active orders with urgency and status, filters, sorting, 10,000-row virtualization. */
export function WorklistRoot(props: WorklistRootProps) {
  const scope = usePacsScope(props.className ? `pacs-stack ${props.className}` : 'pacs-stack');
  const [filters, setFilters] = useControllableState<WorklistFilters>({
    value: props.filters,
    defaultValue: props.defaultFilters ?? {},
    onChange: props.onFiltersChange,
  });
  const [selected, select] = useControllableState<string | undefined>({
    value: props.value,
    defaultValue: props.defaultValue,
    onChange: props.onValueChange as ((value: string | undefined) => void) | undefined,
  });
  const [sort, setSort] = useControllableState<VirtualGridSort | undefined>({
    value: props.sort,
    defaultValue: props.defaultSort,
    onChange: props.onSortChange as ((value: VirtualGridSort | undefined) => void) | undefined,
  });
  const query = useWorklist({
    ...(filters.modality ? { modality: filters.modality } : {}),
    ...(props.refetchInterval ? { refetchInterval: props.refetchInterval } : {}),
  });
  const orders = props.orders ?? query.data ?? [];
  const filtered = useMemo(
    () =>
      orders.filter(
        (order) =>
          (!filters.modality || order.modality === filters.modality) &&
          (!filters.bodyPart || order.bodyPart === filters.bodyPart) &&
          (!filters.status || order.status === filters.status) &&
          (!filters.urgency || (order.urgency ?? 'routine') === filters.urgency),
      ),
    [orders, filters],
  );
  const value: WorklistContextValue = {
    orders,
    filtered,
    status: props.orders ? 'success' : query.status,
    error: query.error,
    retry: () => void query.refetch(),
    filters,
    setFilters,
    selected,
    select: select as (orderId: string) => void,
    sort,
    setSort: setSort as (sort: VirtualGridSort) => void,
    height: props.height ?? 420,
  };
  return (
    <WorklistContext.Provider value={value}>
      <div {...scope} data-state={value.status}>
        {props.children ?? (
          <>
            <WorklistFiltersBar />
            <WorklistGrid />
          </>
        )}
      </div>
    </WorklistContext.Provider>
  );
}

function distinct(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => Boolean(value)))].sort();
}

/** Filters by modality, body part, status and urgency; options come from the loaded orders. */
export function WorklistFiltersBar() {
  const { orders, filters, setFilters } = usePartContext(WorklistContext, 'Worklist.Filters');
  const { t, messages } = usePacsI18n();
  const id = useId();
  const fields: {
    key: keyof WorklistFilters;
    label: string;
    any: string;
    options: string[];
    prefix?: string;
  }[] = [
    {
      key: 'modality',
      label: t('worklist.modality'),
      any: t('search.anyModality'),
      options: distinct(orders.map((o) => o.modality)),
    },
    {
      key: 'bodyPart',
      label: t('worklist.bodyPart'),
      any: t('worklist.anyBodyPart'),
      options: distinct(orders.map((o) => o.bodyPart)),
    },
    {
      key: 'status',
      label: t('worklist.status'),
      any: t('worklist.anyStatus'),
      options: distinct(orders.map((o) => o.status)),
      prefix: 'status',
    },
    {
      key: 'urgency',
      label: t('worklist.urgency'),
      any: t('worklist.anyUrgency'),
      options: ['stat', 'urgent', 'routine'],
      prefix: 'urgency',
    },
  ];
  return (
    <fieldset className="pacs-search">
      <legend className="pacs-field-label">{t('worklist.filters')}</legend>
      {fields.map((field) => (
        <div key={field.key} className="pacs-field">
          <label htmlFor={`${id}-${field.key}`} className="pacs-field-label">
            {field.label}
          </label>
          <select
            id={`${id}-${field.key}`}
            className="pacs-input"
            value={filters[field.key] ?? ''}
            onChange={(event) => setFilters({ ...filters, [field.key]: event.target.value || undefined })}
          >
            <option value="">{field.any}</option>
            {field.options.map((option) => (
              <option key={option} value={option}>
                {field.prefix ? labelFor(t, messages, field.prefix, option) : option}
              </option>
            ))}
          </select>
        </div>
      ))}
    </fieldset>
  );
}

/** The virtualized, sortable grid of orders (STAT first, then by scheduled time, by default). */
export function WorklistGrid() {
  const { filtered, status, error, retry, selected, select, sort, setSort, height } = usePartContext(
    WorklistContext,
    'Worklist.Grid',
  );
  const { t, messages, locale } = usePacsI18n();
  const columns = useMemo((): VirtualGridColumn<Order>[] => {
    const time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
    return [
      {
        id: 'urgency',
        label: t('worklist.urgency'),
        width: 'minmax(70px,0.6fr)',
        render: (order) => (
          <span className="pacs-badge" data-urgency={order.urgency ?? 'routine'}>
            {labelFor(t, messages, 'urgency', order.urgency ?? 'routine')}
          </span>
        ),
        sortValue: (order) => urgencyRank[order.urgency ?? 'routine'] ?? 3,
      },
      {
        id: 'scheduled',
        label: t('worklist.scheduled'),
        width: 'minmax(110px,0.9fr)',
        render: (order) =>
          order.scheduledAt === undefined ? '' : time.format(new Date(timeOf(order.scheduledAt))),
        sortValue: (order) => timeOf(order.scheduledAt),
      },
      {
        id: 'patient',
        label: t('worklist.patient'),
        width: 'minmax(120px,1.2fr)',
        render: (order) => formatPersonName(order.patientName) || order.patientId,
        sortValue: (order) => formatPersonName(order.patientName).toLowerCase(),
      },
      {
        id: 'indication',
        label: t('worklist.indication'),
        width: 'minmax(140px,1.6fr)',
        render: (order) => order.clinicalIndication ?? '',
        sortValue: (order) => order.clinicalIndication ?? '',
      },
      {
        id: 'modality',
        label: t('worklist.modality'),
        width: 'minmax(60px,0.5fr)',
        render: (order) => order.modality,
        sortValue: (order) => order.modality,
      },
      {
        id: 'bodyPart',
        label: t('worklist.bodyPart'),
        width: 'minmax(90px,0.9fr)',
        render: (order) => order.bodyPart ?? '',
        sortValue: (order) => order.bodyPart ?? '',
      },
      {
        id: 'status',
        label: t('worklist.status'),
        width: 'minmax(90px,0.8fr)',
        render: (order) => labelFor(t, messages, 'status', order.status),
        sortValue: (order) => order.status,
      },
    ];
  }, [t, messages, locale]);
  const rows = useMemo(() => {
    if (sort) return sortRows(filtered, columns, sort);
    // Default order: urgency first, then the earliest scheduled.
    return [...filtered].sort(
      (a, b) =>
        (urgencyRank[a.urgency ?? 'routine'] ?? 3) - (urgencyRank[b.urgency ?? 'routine'] ?? 3) ||
        timeOf(a.scheduledAt) - timeOf(b.scheduledAt),
    );
  }, [filtered, columns, sort]);
  if (status === 'pending') return <LoadingState />;
  if (status === 'error') return <ErrorState error={error} onRetry={retry} />;
  if (rows.length === 0) return <EmptyState>{t('worklist.empty')}</EmptyState>;
  return (
    <>
      <output className="pacs-muted" aria-live="polite">
        {t('worklist.count', { count: new Intl.NumberFormat(locale).format(rows.length) })}
      </output>
      <VirtualGrid
        rows={rows}
        columns={columns}
        rowId={(order) => order.id}
        selected={selected}
        onSelect={select}
        sort={sort}
        onSortChange={setSort}
        height={height}
        aria-label={t('worklist.label')}
        rowAttributes={(order) => ({ 'data-urgency': order.urgency ?? 'routine' })}
      />
    </>
  );
}

export const Worklist = {
  Root: WorklistRoot,
  Filters: WorklistFiltersBar,
  Grid: WorklistGrid,
};
