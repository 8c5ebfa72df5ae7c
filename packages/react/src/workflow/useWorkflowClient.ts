import { PacsError } from '@pacskit/dicom';
import { usePacsContext } from '../provider/pacsContext.js';
import type { PacsWorkflowClient } from './pacsWorkflowClient.js';

/** The workflow client of the provider; `undefined` when the host passed none. */
export function useWorkflowClient(): PacsWorkflowClient | undefined {
  return usePacsContext('useWorkflowClient').workflow;
}

/** One group of the workflow client, or a `NOT_SUPPORTED` PacsError to throw from a query. */
export function requireWorkflowGroup<K extends keyof PacsWorkflowClient>(
  workflow: PacsWorkflowClient | undefined,
  group: K,
): NonNullable<PacsWorkflowClient[K]> {
  const value = workflow?.[group];
  if (!value) throw new PacsError('NOT_SUPPORTED', `no workflow client with ${String(group)}`);
  return value as NonNullable<PacsWorkflowClient[K]>;
}
