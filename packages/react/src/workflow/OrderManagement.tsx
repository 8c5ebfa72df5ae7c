import type { CreateOrderInput, Order, OrderStatus, Urgency } from '@pacskit/sdk';
import { type FormEvent, useId, useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../common/StatusMessage.js';
import { defaultModalities } from '../dashboard/StudySearch.js';
import { formatPersonName } from '../internal/formatDicom.js';
import { labelFor } from '../internal/labelFor.js';
import { usePacsI18n, usePacsScope } from '../provider/usePacs.js';
import {
  useCancelOrder,
  useCreateOrder,
  useOrderHistory,
  useOrders,
  useSetOrderStatus,
} from './useOrders.js';

export interface OrderCreateFormProps {
  onCreated?: (order: Order) => void;
  className?: string;
}

const urgencies: Urgency[] = ['routine', 'urgent', 'stat'];

/** Create an imaging order: patient, modality, body part, urgency, scheduled time and indication. */
export function OrderCreateForm({ onCreated, className }: OrderCreateFormProps) {
  const { t, messages } = usePacsI18n();
  const scope = usePacsScope(className ? `pacs-card ${className}` : 'pacs-card');
  const create = useCreateOrder();
  const id = useId();
  const [input, setInput] = useState<CreateOrderInput>({
    patientId: '',
    patientName: '',
    modality: 'CT',
    urgency: 'routine',
  });
  const set = (patch: Partial<CreateOrderInput>) => setInput((current) => ({ ...current, ...patch }));
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate(input, { onSuccess: (order) => onCreated?.(order) });
  }
  return (
    <section {...scope} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="pacs-heading">
        {t('orders.create')}
      </h3>
      <form className="pacs-search" onSubmit={onSubmit}>
        <div className="pacs-field">
          <label htmlFor={`${id}-pid`} className="pacs-field-label">
            {t('orders.patientId')}
          </label>
          <input
            id={`${id}-pid`}
            className="pacs-input"
            required
            value={input.patientId}
            onChange={(event) => set({ patientId: event.target.value })}
          />
        </div>
        <div className="pacs-field">
          <label htmlFor={`${id}-pname`} className="pacs-field-label">
            {t('orders.patientName')}
          </label>
          <input
            id={`${id}-pname`}
            className="pacs-input"
            required
            value={input.patientName}
            onChange={(event) => set({ patientName: event.target.value })}
          />
        </div>
        <div className="pacs-field">
          <label htmlFor={`${id}-modality`} className="pacs-field-label">
            {t('worklist.modality')}
          </label>
          <select
            id={`${id}-modality`}
            className="pacs-input"
            value={input.modality}
            onChange={(event) => set({ modality: event.target.value })}
          >
            {defaultModalities.map((modality) => (
              <option key={modality} value={modality}>
                {modality}
              </option>
            ))}
          </select>
        </div>
        <div className="pacs-field">
          <label htmlFor={`${id}-procedure`} className="pacs-field-label">
            {t('worklist.bodyPart')}
          </label>
          <input
            id={`${id}-procedure`}
            className="pacs-input"
            value={input.bodyPart ?? ''}
            onChange={(event) => set({ bodyPart: event.target.value })}
          />
        </div>
        <div className="pacs-field">
          <label htmlFor={`${id}-urgency`} className="pacs-field-label">
            {t('orders.urgency')}
          </label>
          <select
            id={`${id}-urgency`}
            className="pacs-input"
            value={input.urgency}
            onChange={(event) => set({ urgency: event.target.value as Urgency })}
          >
            {urgencies.map((urgency) => (
              <option key={urgency} value={urgency}>
                {labelFor(t, messages, 'urgency', urgency)}
              </option>
            ))}
          </select>
        </div>
        <div className="pacs-field">
          <label htmlFor={`${id}-when`} className="pacs-field-label">
            {t('orders.scheduledAt')}
          </label>
          <input
            id={`${id}-when`}
            className="pacs-input"
            type="datetime-local"
            onChange={(event) => {
              const { scheduledAt: _previous, ...rest } = input;
              const time = Date.parse(event.target.value);
              setInput(Number.isNaN(time) ? rest : { ...rest, scheduledAt: new Date(time).toISOString() });
            }}
          />
        </div>
        <div className="pacs-field">
          <label htmlFor={`${id}-reason`} className="pacs-field-label">
            {t('orders.reason')}
          </label>
          <input
            id={`${id}-reason`}
            className="pacs-input"
            value={input.clinicalIndication ?? ''}
            onChange={(event) => set({ clinicalIndication: event.target.value })}
          />
        </div>
        <div className="pacs-actions">
          <button type="submit" className="pacs-button" disabled={create.isPending}>
            {t('orders.create')}
          </button>
        </div>
      </form>
      {create.isError ? <ErrorState error={create.error} onRetry={() => create.reset()} /> : null}
      {create.data ? (
        <p role="status">{t('orders.created', { accession: create.data.accessionNumber })}</p>
      ) : null}
    </section>
  );
}

export interface OrderDetailProps {
  orderId: string | undefined;
  className?: string;
}

/** One order: its data, the next status step, cancel (with a reason) and the status history. */
export function OrderDetail({ orderId, className }: OrderDetailProps) {
  const { t, messages } = usePacsI18n();
  const scope = usePacsScope(className ? `pacs-card ${className}` : 'pacs-card');
  const orders = useOrders();
  const id = useId();
  if (!orderId) {
    return (
      <section {...scope} aria-label={t('orders.label')}>
        <EmptyState>{t('orders.noOrder')}</EmptyState>
      </section>
    );
  }
  const order = orders.data?.find((candidate) => candidate.id === orderId);
  return (
    <section {...scope} aria-labelledby={`${id}-title`} data-state={order?.status}>
      <h3 id={`${id}-title`} className="pacs-heading">
        {order
          ? `${order.accessionNumber} · ${[order.modality, order.bodyPart].filter(Boolean).join(' ')}`
          : t('orders.label')}
      </h3>
      {orders.isPending ? (
        <LoadingState />
      ) : orders.isError ? (
        <ErrorState error={orders.error} onRetry={() => void orders.refetch()} />
      ) : !order ? (
        <EmptyState>{t('orders.noOrder')}</EmptyState>
      ) : (
        <>
          <p className="pacs-muted">
            {[
              formatPersonName(order.patientName),
              order.patientId,
              labelFor(t, messages, 'status', order.status),
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
          <OrderActions order={order} />
          <OrderHistory orderId={order.id} />
        </>
      )}
    </section>
  );
}

/** The next step of the archive's order life cycle (PacsKit workflow, issue 5), when a person takes it. */
const nextStatus: Partial<Record<OrderStatus, OrderStatus>> = {
  scheduled: 'arrived',
  arrived: 'in_progress',
  in_progress: 'completed',
};

function OrderActions({ order }: { order: Order }) {
  const { t, messages } = usePacsI18n();
  const advance = useSetOrderStatus();
  const cancel = useCancelOrder();
  const id = useId();
  const [reason, setReason] = useState('');
  const next = nextStatus[order.status];
  const closed = !next;
  return (
    <div className="pacs-stack">
      <div className="pacs-search">
        <div className="pacs-actions">
          <button
            type="button"
            className="pacs-button"
            disabled={!next || advance.isPending}
            onClick={() => next && advance.mutate({ id: order.id, status: next })}
          >
            {t('orders.advance', { status: labelFor(t, messages, 'status', next ?? order.status) })}
          </button>
        </div>
        <div className="pacs-field">
          <label htmlFor={`${id}-reason`} className="pacs-field-label">
            {t('orders.cancelReason')}
          </label>
          <input
            id={`${id}-reason`}
            className="pacs-input"
            value={reason}
            disabled={closed}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
        <div className="pacs-actions">
          <button
            type="button"
            className="pacs-button"
            data-variant="secondary"
            disabled={closed || cancel.isPending}
            onClick={() => cancel.mutate(reason ? { id: order.id, reason } : { id: order.id })}
          >
            {t('orders.cancel')}
          </button>
        </div>
      </div>
      {advance.isError ? <ErrorState error={advance.error} onRetry={() => advance.reset()} /> : null}
      {cancel.isError ? <ErrorState error={cancel.error} onRetry={() => cancel.reset()} /> : null}
    </div>
  );
}

export interface OrderHistoryProps {
  orderId: string;
}

/** Who moved the order to which status, when and why. */
export function OrderHistory({ orderId }: OrderHistoryProps) {
  const { t, messages, locale } = usePacsI18n();
  const history = useOrderHistory(orderId);
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <div>
      <h4 className="pacs-heading">{t('orders.history')}</h4>
      {history.isPending ? (
        <LoadingState />
      ) : history.isError ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.length === 0 ? (
        <EmptyState />
      ) : (
        <ol className="pacs-list">
          {history.data.map((entry) => (
            <li key={`${entry.at}-${entry.to}`}>
              <time dateTime={entry.at}>{time.format(new Date(Date.parse(entry.at)))}</time>{' '}
              <strong>{labelFor(t, messages, 'status', entry.to)}</strong> {t('orders.by', { by: entry.by })}
              {entry.reason ? ` — ${entry.reason}` : ''}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export const OrderManagement = {
  CreateForm: OrderCreateForm,
  Detail: OrderDetail,
  History: OrderHistory,
};
