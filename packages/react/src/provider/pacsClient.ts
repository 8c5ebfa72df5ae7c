import type { PacsAdapter, Series } from '@pacskit/sdk';

/** Health of one source as the sources panel shows it. */
export interface PacsSourceStatus {
  id: string;
  label?: string;
  state: 'up' | 'down' | 'unknown';
  latencyMs?: number;
  /** The PacsError code of the last failure. */
  errorCode?: string;
  checkedAt?: string;
}

/**
 * What the components accept as `client`: any `PacsAdapter`, or the SDK's federated client, which
 * is also a `PacsAdapter` and may additionally list its sources, report their health and emit
 * health events. These optional members are read structurally so react never imports an adapter or
 * depends on the federated client's concrete class.
 */
export interface PacsClient extends PacsAdapter {
  /** Federated mode: the ids (and optional labels) of the member sources. */
  readonly sources?: readonly (string | { id: string; label?: string })[];
  /** Federated mode: current health of every source. */
  health?(options?: { signal?: AbortSignal }): Promise<readonly PacsSourceStatus[]>;
  /** Federated mode: subscribe to health changes; returns the unsubscribe function. */
  subscribe?(listener: (event: { type: string; sourceId?: string }) => void): () => void;
  /** Cornerstone image IDs (`wadors:`/`wadouri:`) of a series, when the SDK can build them. */
  imageIdsForSeries?(options: { series: Series; signal?: AbortSignal }): Promise<string[]>;
}

/** Whether the client federates several sources (then the components show a source column). */
export function isFederatedClient(client: PacsClient): boolean {
  return Array.isArray(client.sources) && client.sources.length > 0;
}

/** Source ids of a federated client, or the adapter's own id. */
export function sourceIdsOf(client: PacsClient): { id: string; label?: string }[] {
  if (!isFederatedClient(client)) return [{ id: client.id }];
  return (client.sources ?? []).map((source) => (typeof source === 'string' ? { id: source } : source));
}
