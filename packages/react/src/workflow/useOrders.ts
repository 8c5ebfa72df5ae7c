import type { PacsError } from '@pacskit/dicom';
import type { CreateOrderInput, Order, OrderHistoryEntry, OrderQuery, OrderStatus } from '@pacskit/sdk';
import { type UseMutationResult, type UseQueryResult, useQuery } from '@tanstack/react-query';
import { useWorkflowMutation } from '../internal/useWorkflowMutation.js';
import { requireWorkflowGroup, useWorkflowClient } from './useWorkflowClient.js';
import { workflowQueryKeys } from './workflowQueryKeys.js';

/** Orders (imaging service requests) of the workflow API. */
export function useOrders(query: OrderQuery = {}): UseQueryResult<Order[], PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.orders(query),
    queryFn: ({ signal }) => requireWorkflowGroup(workflow, 'orders').list({ ...query, signal }),
  });
}

/** The status history of one order (who moved it, when, why). */
export function useOrderHistory(orderId: string | undefined): UseQueryResult<OrderHistoryEntry[], PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.orderHistory(orderId ?? ''),
    queryFn: ({ signal }) => requireWorkflowGroup(workflow, 'orders').history(orderId!, { signal }),
    enabled: Boolean(orderId),
  });
}

/** An order change also changes the worklist entry the archive keeps for it. */
const invalidatesOrders = () => [workflowQueryKeys.ordersAll, workflowQueryKeys.worklistAll];

/** Creates an order (the archive assigns accession number, study UID and the worklist entry). */
export function useCreateOrder(): UseMutationResult<Order, PacsError, CreateOrderInput> {
  return useWorkflowMutation({
    group: 'orders',
    mutationFn: (orders, input: CreateOrderInput) => orders.create(input),
    invalidates: invalidatesOrders,
  });
}

/** Moves an order along its life cycle (arrived, in progress, completed…); CONFLICT when not allowed. */
export function useSetOrderStatus(): UseMutationResult<
  Order,
  PacsError,
  { id: string; status: OrderStatus; reason?: string }
> {
  return useWorkflowMutation({
    group: 'orders',
    mutationFn: (orders, { id, status, reason }: { id: string; status: OrderStatus; reason?: string }) =>
      orders.setStatus(id, status, reason === undefined ? {} : { reason }),
    invalidates: invalidatesOrders,
  });
}

export function useCancelOrder(): UseMutationResult<Order, PacsError, { id: string; reason?: string }> {
  return useWorkflowMutation({
    group: 'orders',
    mutationFn: (orders, { id, reason }: { id: string; reason?: string }) =>
      orders.cancel(id, reason === undefined ? {} : { reason }),
    invalidates: invalidatesOrders,
  });
}
