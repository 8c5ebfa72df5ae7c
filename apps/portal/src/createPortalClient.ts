import type { PacsClient } from '@pacskit/react';
import {
  buildImageIds,
  createArchiveAdapter,
  createDicomwebAdapter,
  createFederatedClient,
} from '@pacskit/sdk';
import type { PacsAdapter, Series, WorkflowClient } from '@pacskit/sdk';
import type { PortalConfig } from './portalConfig.js';
import type { Session } from './signIn.js';

export interface PortalClients {
  /** Images: the archive, or the archive and Orthanc federated. */
  client: PacsClient;
  /** Orders, reports, consent, share links: the archive's workflow API (not over HTTP Basic). */
  workflow: WorkflowClient | undefined;
}

/**
 * The one place the portal chooses its archives: the PacsKit archive on this origin and, in the
 * federated mode, a second DICOMweb archive (Orthanc) next to it.
 */
export function createPortalClients(config: PortalConfig, session: Session): PortalClients {
  const archive = createArchiveAdapter({
    baseUrl: new URL(config.dicomwebUrl).origin,
    id: 'archive',
    auth: session.auth,
  });
  const roots: Record<string, string> = { archive: config.dicomwebUrl };
  const sources: { id: string; adapter: PacsAdapter }[] = [
    { id: 'archive', adapter: withSeriesStudyUID(archive) },
  ];
  if (config.orthancUrl) {
    const id = config.orthancLabel ?? 'orthanc';
    // Proxied by the archive on this origin (its demo does): the same credentials apply there.
    const sameOrigin = new URL(config.orthancUrl).origin === window.location.origin;
    sources.push({
      id,
      // Orthanc's DICOMweb plugin 1.7 has no /thumbnail resources: render the first instance instead.
      adapter: createDicomwebAdapter({
        baseUrl: config.orthancUrl,
        id,
        thumbnails: 'rendered',
        ...(sameOrigin ? { auth: session.auth } : {}),
      }),
    });
    roots[id] = config.orthancUrl;
  }
  const images =
    sources.length > 1 ? createFederatedClient({ sources }) : (sources[0]?.adapter as PacsAdapter);
  const client = withImageIds(images, sources, roots);
  // The archive's admin over HTTP Basic has no workflow API behind it.
  const workflow = session.token ? archive.workflow : undefined;
  return { client, workflow };
}

/**
 * Adds `imageIdsForSeries` (Cornerstone `wadors:` ids in slice order, from the SDK's
 * buildImageIds), pointing at the archive that holds the series.
 */
function withImageIds(
  client: PacsAdapter,
  sources: { id: string; adapter: PacsAdapter }[],
  roots: Record<string, string>,
): PacsClient {
  const imageIdsForSeries = async ({ series, signal }: { series: Series; signal?: AbortSignal }) => {
    const source = sources.find(({ id }) => series.sources.includes(id)) ?? sources[0];
    if (!source) return [];
    return buildImageIds({
      baseUrl: roots[source.id] ?? '',
      adapter: source.adapter,
      studyInstanceUID: series.StudyInstanceUID,
      seriesInstanceUID: series.SeriesInstanceUID,
      scheme: 'wadors',
      ...(signal ? { signal } : {}),
    });
  };
  // Delegate through the prototype so the client's own methods keep their `this`.
  return Object.assign(Object.create(client) as PacsAdapter, { imageIdsForSeries });
}

/**
 * Workaround: the archive's QIDO-RS series results leave out StudyInstanceUID, and the SDK's
 * `toSeries` does not fill it from the request, so series would point at study "". Remove once
 * either side fills it.
 */
function withSeriesStudyUID(adapter: PacsAdapter): PacsAdapter {
  const searchForSeries: PacsAdapter['searchForSeries'] = async (options) => {
    const result = await adapter.searchForSeries(options);
    const studyInstanceUID = options?.studyInstanceUID;
    if (!studyInstanceUID) return result;
    const items = result.items.map((series) =>
      series.StudyInstanceUID ? series : { ...series, StudyInstanceUID: studyInstanceUID },
    );
    return { ...result, items };
  };
  return Object.assign(Object.create(adapter) as PacsAdapter, { searchForSeries });
}
