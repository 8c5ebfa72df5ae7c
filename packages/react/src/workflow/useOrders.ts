import type { PacsError } from '@pacskit/dicom';
import type { CreateOrderInput, Order, OrderHistoryEntry, OrderQuery, OrderStatus } from '@pacskit/sdk';
import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
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

function useInvalidateOrders() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: workflowQueryKeys.ordersAll }),
      queryClient.invalidateQueries({ queryKey: workflowQueryKeys.worklistAll }),
    ]);
}

/** Creates an order (the archive assigns accession number, study UID and the worklist entry). */
export function useCreateOrder(): UseMutationResult<Order, PacsError, CreateOrderInput> {
  const workflow = useWorkflowClient();
  const invalidate = useInvalidateOrders();
  return useMutation({
    mutationFn: (input) => requireWorkflowGroup(workflow, 'orders').create(input),
    onSuccess: invalidate,
  });
}

/** Moves an order along its life cycle (arrived, in progress, completed…); CONFLICT when not allowed. */
export function useSetOrderStatus(): UseMutationResult<
  Order,
  PacsError,
  { id: string; status: OrderStatus; reason?: string }
> {
  const workflow = useWorkflowClient();
  const invalidate = useInvalidateOrders();
  return useMutation({
    mutationFn: ({ id, status, reason }) =>
      requireWorkflowGroup(workflow, 'orders').setStatus(id, status, reason === undefined ? {} : { reason }),
    onSuccess: invalidate,
  });
}

export function useCancelOrder(): UseMutationResult<Order, PacsError, { id: string; reason?: string }> {
  const workflow = useWorkflowClient();
  const invalidate = useInvalidateOrders();
  return useMutation({
    mutationFn: ({ id, reason }) =>
      requireWorkflowGroup(workflow, 'orders').cancel(id, reason === undefined ? {} : { reason }),
    onSuccess: invalidate,
  });
}
