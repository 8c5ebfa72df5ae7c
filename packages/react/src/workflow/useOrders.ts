import { PacsError } from '@pacskit/dicom';
import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import type {
  WorkflowOrder,
  WorkflowOrderHistoryEntry,
  WorkflowOrderInput,
  WorkflowPage,
} from './pacsWorkflowClient.js';
import { requireWorkflowGroup, useWorkflowClient } from './useWorkflowClient.js';
import { workflowQueryKeys } from './workflowQueryKeys.js';

export interface OrdersQuery {
  status?: string;
  patientId?: string;
  modality?: string;
  limit?: number;
}

/** Orders (imaging service requests) of the workflow API. */
export function useOrders(query: OrdersQuery = {}): UseQueryResult<WorkflowPage<WorkflowOrder>, PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.orders(query),
    queryFn: ({ signal }) => requireWorkflowGroup(workflow, 'orders').list({ ...query, signal }),
  });
}

/** The status history of one order (who moved it, when, why). */
export function useOrderHistory(
  orderId: string | undefined,
): UseQueryResult<WorkflowOrderHistoryEntry[], PacsError> {
  const workflow = useWorkflowClient();
  return useQuery({
    queryKey: workflowQueryKeys.orderHistory(orderId ?? ''),
    queryFn: async ({ signal }) => {
      const orders = requireWorkflowGroup(workflow, 'orders');
      if (!orders.history) return [];
      return orders.history(orderId!, { signal });
    },
    enabled: Boolean(orderId),
  });
}

function useInvalidateOrders() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: workflowQueryKeys.ordersAll }),
      queryClient.invalidateQueries({ queryKey: ['pacskit-workflow', 'worklist'] }),
    ]);
}

export function useCreateOrder(): UseMutationResult<WorkflowOrder, PacsError, WorkflowOrderInput> {
  const workflow = useWorkflowClient();
  const invalidate = useInvalidateOrders();
  return useMutation({
    mutationFn: (input) => requireWorkflowGroup(workflow, 'orders').create(input),
    onSuccess: invalidate,
  });
}

/** Moves an order's scheduled time (PS3.4 K.6.1.2.2 Scheduled Procedure Step Start). */
export function useScheduleOrder(): UseMutationResult<
  WorkflowOrder,
  PacsError,
  { id: string; scheduledAt: number }
> {
  const workflow = useWorkflowClient();
  const invalidate = useInvalidateOrders();
  return useMutation({
    mutationFn: ({ id, scheduledAt }) => {
      const orders = requireWorkflowGroup(workflow, 'orders');
      if (!orders.update)
        throw new PacsError('NOT_SUPPORTED', 'this workflow client cannot reschedule orders');
      return orders.update(id, { scheduledAt });
    },
    onSuccess: invalidate,
  });
}

export function useCancelOrder(): UseMutationResult<
  WorkflowOrder,
  PacsError,
  { id: string; reason?: string }
> {
  const workflow = useWorkflowClient();
  const invalidate = useInvalidateOrders();
  return useMutation({
    mutationFn: ({ id, reason }) =>
      requireWorkflowGroup(workflow, 'orders').cancel(id, reason === undefined ? {} : { reason }),
    onSuccess: invalidate,
  });
}
