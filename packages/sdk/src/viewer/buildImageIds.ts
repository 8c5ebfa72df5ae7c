import { PacsError } from '@pacskit/dicom';
import { createDicomwebAdapter } from '../adapters/dicomweb/createDicomwebAdapter.js';
import type { AuthOptions } from '../auth/authOptions.js';
import type { PacsAdapter, RequestOptions } from '../pacsAdapter.js';
import type { FetchLike } from '../runtime.js';
import { getNumber, getText } from '../views/dicomJsonValues.js';
import { tags } from '../views/tags.js';
import { sortByImagePosition } from './sortByImagePosition.js';

export interface BuildImageIdsOptions extends RequestOptions {
  /** The DICOMweb root the IDs point at (`https://pacs.example.org/dicom-web`). */
  baseUrl: string;
  /** Where to read the series metadata; default: a DICOMweb adapter on `baseUrl`. */
  adapter?: PacsAdapter;
  /** WADO-URI endpoint for `wadouri:` IDs (default `baseUrl` + `/wado`). */
  wadoUriUrl?: string;
  fetch?: FetchLike;
  auth?: AuthOptions;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  scheme: 'wadors' | 'wadouri';
}

/**
 * Cornerstone image IDs for a series, one per frame, in stacking order (sortByImagePosition).
 * - `wadors:{root}/studies/{st}/series/{se}/instances/{sop}/frames/{n}` (PS3.18 10.4, frames 1-based);
 * - `wadouri:{wado}?requestType=WADO&studyUID=…&seriesUID=…&objectUID=…&contentType=application/dicom`
 *   (PS3.18 9.1), with `&frame={i}` 0-based for multi-frame instances, as Cornerstone's
 *   dicom-image-loader and OHIF read it.
 */
export async function buildImageIds(options: BuildImageIdsOptions): Promise<string[]> {
  const root = options.baseUrl.replace(/\/+$/, '');
  const adapter =
    options.adapter ??
    createDicomwebAdapter({
      baseUrl: root,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.auth ? { auth: options.auth } : {}),
    });
  const capability = options.scheme === 'wadors' ? 'wadoRsImageIds' : 'wadoUriImageIds';
  if (options.adapter && !adapter.capabilities[capability]) {
    throw new PacsError('NOT_SUPPORTED', `${adapter.id} cannot serve ${options.scheme}: image IDs`, {
      source: adapter.id,
    });
  }
  const metadata = await adapter.retrieveSeriesMetadata({
    studyInstanceUID: options.studyInstanceUID,
    seriesInstanceUID: options.seriesInstanceUID,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const wado = options.wadoUriUrl ?? `${root}/wado`;
  const ids: string[] = [];
  for (const dataset of sortByImagePosition(metadata)) {
    const sop = getText(dataset, tags.SOPInstanceUID);
    if (!sop) continue;
    const frames = Math.max(1, getNumber(dataset, tags.NumberOfFrames) ?? 1);
    for (let frame = 1; frame <= frames; frame++) {
      if (options.scheme === 'wadors') {
        ids.push(
          `wadors:${root}/studies/${options.studyInstanceUID}/series/${options.seriesInstanceUID}/instances/${sop}/frames/${frame}`,
        );
      } else {
        const query = new URLSearchParams({
          requestType: 'WADO',
          studyUID: options.studyInstanceUID,
          seriesUID: options.seriesInstanceUID,
          objectUID: sop,
          contentType: 'application/dicom',
        });
        if (frames > 1) query.set('frame', String(frame - 1));
        // "/" stays literal (RFC 3986 allows it in a query): Orthanc does not decode %2F.
        ids.push(`wadouri:${wado}?${query.toString().replace(/%2F/gi, '/')}`);
      }
    }
  }
  return ids;
}
