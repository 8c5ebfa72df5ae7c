import type { Order, WorkflowClient } from '@pacskit/sdk';
import { useEffect, useState } from 'react';

export interface OrdersPanelProps {
  workflow: WorkflowClient;
}

/** Today's orders and their state (scheduled → arrived → in progress → completed → reported → verified). */
export function OrdersPanel({ workflow }: OrdersPanelProps) {
  const [orders, setOrders] = useState<Order[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    workflow.orders
      .list({ signal: controller.signal })
      .then(setOrders)
      .catch((cause: Error) => controller.signal.aborted || setError(cause.message));
    return () => controller.abort();
  }, [workflow]);
  return (
    <details className="portal-orders" open>
      <summary>Orders {orders ? `(${orders.length})` : ''}</summary>
      {error ? <p role="alert">{error}</p> : null}
      <ul aria-label="Orders">
        {(orders ?? []).map((order) => (
          <li key={order.id} data-state={order.status}>
            <span className="portal-status">{order.status.replace('_', ' ')}</span> {order.accessionNumber} ·{' '}
            {order.modality} · {order.patientId}
          </li>
        ))}
      </ul>
    </details>
  );
}
