import { PacsError } from '@pacskit/dicom';

/** The order life cycle of issue 5; `cancelled` can be reached from any state before `completed`. */
export const orderStatuses = [
  'scheduled',
  'arrived',
  'in_progress',
  'completed',
  'reported',
  'verified',
  'cancelled',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

const forward: readonly OrderStatus[] = [
  'scheduled',
  'arrived',
  'in_progress',
  'completed',
  'reported',
  'verified',
];

/**
 * The states to pass through to reach `target` from `current`, in order (an MPPS COMPLETED for a
 * scheduled order records arrived, in_progress and completed). Empty when already there. Throws
 * CONFLICT for a move backwards, out of a final state, or a cancel after completion.
 */
export function orderPath(current: OrderStatus, target: OrderStatus): OrderStatus[] {
  if (current === target) return [];
  if (current === 'cancelled' || current === 'verified') {
    throw new PacsError('CONFLICT', `an order that is ${current} cannot change`, {
      details: { current, target },
    });
  }
  if (target === 'cancelled') {
    if (forward.indexOf(current) >= forward.indexOf('completed')) {
      throw new PacsError('CONFLICT', 'a completed order cannot be cancelled', {
        details: { current, target },
      });
    }
    return ['cancelled'];
  }
  const from = forward.indexOf(current);
  const to = forward.indexOf(target);
  if (to < from)
    throw new PacsError('CONFLICT', 'orders only move forward', { details: { current, target } });
  return forward.slice(from + 1, to + 1);
}

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (orderStatuses as readonly string[]).includes(value);
}
