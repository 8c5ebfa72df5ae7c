import type { FederatedClient, PacsAdapter, Series } from '@pacskit/sdk';

/** Health of one source as the sources panel shows it. */
export interface PacsSourceStatus {
  id: string;
  state: 'up' | 'down' | 'unknown';
  latencyMs?: number;
  /** The PacsError code of the last failure. */
  errorCode?: string;
}

/**
 * What the components accept as `client`: any `PacsAdapter`, or the SDK's `FederatedClient`
 * (`createFederatedClient`), whose sources, health and events the sources panel and the source
 * column use. `imageIdsForSeries` lets a client build the viewer's image IDs itself.
 */
export type PacsClient = PacsAdapter &
  Partial<Pick<FederatedClient, 'sources' | 'health' | 'on'>> & {
    /** Cornerstone image IDs (`wadors:`/`wadouri:`) of a series, when the client can build them. */
    imageIdsForSeries?(options: { series: Series; signal?: AbortSignal }): Promise<string[]>;
  };

/** Whether the client federates several sources (then the components show a source column). */
export function isFederatedClient(client: PacsClient): boolean {
  return Array.isArray(client.sources) && client.sources.length > 0 && typeof client.health === 'function';
}

/** Source ids of a federated client, or the adapter's own id. */
export function sourceIdsOf(client: PacsClient): { id: string }[] {
  if (!isFederatedClient(client)) return [{ id: client.id }];
  return (client.sources ?? []).map((source) => ({ id: source.id }));
}
