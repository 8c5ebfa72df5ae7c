import { PacsError } from '@pacskit/dicom';
import type { DicomJsonDataset } from '@pacskit/dicom';
import type { AuthOptions } from '../../auth/authOptions.js';
import { createHttpTransport, parseJsonBody } from '../../http/httpTransport.js';
import type { HttpResponse, HttpTransport } from '../../http/httpTransport.js';
import { encodeMultipartRelated } from '../../multipart/encodeMultipartRelated.js';
import { parseMediaType, transferSyntaxOf } from '../../multipart/parseMediaType.js';
import { parseMultipartRelated } from '../../multipart/parseMultipartRelated.js';
import type {
  AdapterCapabilities,
  EchoResult,
  PacsAdapter,
  RenderedImage,
  RetrievedFrame,
  SearchOptions,
  StoreResult,
} from '../../pacsAdapter.js';
import { defaultClock } from '../../runtime.js';
import type { Clock, FetchLike, Timers } from '../../runtime.js';
import { composeNormalizers } from '../../views/normalization.js';
import { trimPersonNames } from '../../views/trimPersonNames.js';
import type { DatasetLevel, DatasetNormalizer } from '../../views/normalization.js';
import { readDicomJsonArray } from '../../views/readDicomJson.js';
import { toInstance, toSeries, toStudy } from '../../views/toStudy.js';
import { bodyParts, instancePath, qidoQuery, randomBoundary, uid, withScope } from './dicomwebRequests.js';
import { readStoreResponse } from './readStoreResponse.js';

export interface DicomwebAdapterOptions {
  /** The DICOMweb root, e.g. `https://pacs.example.org/dicom-web`. */
  baseUrl: string;
  /** Source id used in errors, federation and statistics (default `dicomweb`). */
  id?: string;
  fetch?: FetchLike;
  auth?: AuthOptions;
  headers?: Record<string, string>;
  /** Per-request deadline in ms (default 30 s). */
  timeoutMs?: number;
  timers?: Timers;
  clock?: Clock;
  /** What this server supports beyond the DICOMweb defaults (e.g. `{ deleteStudy: true }` for dcm4chee). */
  capabilities?: Partial<AdapterCapabilities>;
  /** Vendor normalisation hook, run on every returned data set. */
  normalize?: DatasetNormalizer;
  /**
   * How thumbnails are fetched: `thumbnail` uses the PS3.18 10.4.1.1.5 `/thumbnail` resources;
   * `rendered` renders the first instance of the study/series at the requested viewport, for
   * servers without them (Orthanc's DICOMweb plugin 1.7).
   */
  thumbnails?: 'thumbnail' | 'rendered';
}

export const dicomwebDefaultCapabilities: AdapterCapabilities = {
  searchForStudies: true,
  searchForSeries: true,
  searchForInstances: true,
  retrieveMetadata: true,
  retrieveInstance: true,
  retrieveInstanceFrames: true,
  retrieveRendered: true,
  retrieveThumbnail: true,
  storeInstances: true,
  deleteStudy: false,
  fuzzyMatching: false,
  wadoRsImageIds: true,
  wadoUriImageIds: false,
};

const dicomMultipart = 'multipart/related; type="application/dicom"';

/**
 * An adapter for any DICOMweb server (PS3.18): QIDO-RS, WADO-RS, STOW-RS.
 *
 * Not built on dicomweb-client's transport: its `DICOMwebClient` sends every request through
 * `XMLHttpRequest`, which exists neither in Node nor in workers and cannot take an injected
 * fetch. Its known multipart and media-type bugs are handled in our own parser/encoder
 * (dcmjs-org/dicomweb-client#17 per-part headers, #30 unquoted STOW-RS Content-Type,
 * #47 single-part bulk data answers, #99 multipart length, #108 frames without their transfer
 * syntax): see parseMultipartRelated, encodeMultipartRelated and `retrieveInstanceFrames` below.
 */
export function createDicomwebAdapter(options: DicomwebAdapterOptions): PacsAdapter {
  const id = options.id ?? 'dicomweb';
  const http = createHttpTransport({
    baseUrl: options.baseUrl,
    source: id,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return createDicomwebAdapterOn(http, options);
}

/** The adapter over an existing transport (used by the Orthanc, PostDICOM and archive adapters). */
export function createDicomwebAdapterOn(
  http: HttpTransport,
  options: Pick<DicomwebAdapterOptions, 'capabilities' | 'normalize' | 'thumbnails' | 'clock'> = {},
): PacsAdapter {
  const id = http.source;
  const clock = options.clock ?? defaultClock;
  const capabilities: AdapterCapabilities = { ...dicomwebDefaultCapabilities, ...options.capabilities };
  const normalize = composeNormalizers(trimPersonNames, options.normalize);
  const normalized = (datasets: DicomJsonDataset[], level: DatasetLevel) =>
    datasets.map((dataset) => normalize(dataset, { level, source: id }));
  const require = (capability: keyof AdapterCapabilities) => {
    if (!capabilities[capability]) {
      throw new PacsError('NOT_SUPPORTED', `${id} does not support ${capability}`, { source: id });
    }
  };

  const qido = async (path: string, search: SearchOptions | undefined, level: DatasetLevel) => {
    const response = await http.request({
      path,
      query: qidoQuery(search),
      accept: 'application/dicom+json, application/json',
      ...(search?.signal ? { signal: search.signal } : {}),
    });
    // 204 is "no matches" (PS3.18 10.6.3.2); a 200 without a body is not an answer.
    if (response.status !== 204 && response.body.length === 0) {
      throw new PacsError('BAD_RESPONSE', 'QIDO-RS answer without a body', {
        source: id,
        httpStatus: response.status,
      });
    }
    return normalized(readDicomJsonArray(parseJsonBody(response, id), id, response.status), level);
  };

  const metadata = async (path: string, signal: AbortSignal | undefined) => {
    const response = await http.request({
      path,
      accept: 'application/dicom+json, application/json',
      ...(signal ? { signal } : {}),
    });
    const datasets = readDicomJsonArray(parseJsonBody(response, id), id, response.status);
    // An existing study/series/instance has at least one instance: an empty answer is not a result.
    if (datasets.length === 0) {
      throw new PacsError('BAD_RESPONSE', 'metadata answer without any data set', {
        source: id,
        httpStatus: response.status,
      });
    }
    return normalized(datasets, 'metadata');
  };

  const image = (response: HttpResponse): RenderedImage => {
    const type = parseMediaType(response.contentType).type;
    if (type.startsWith('multipart/')) {
      const part = parseMultipartRelated(response.body, response.contentType, {
        source: id,
        httpStatus: response.status,
      })[0]!;
      return { contentType: parseMediaType(part.contentType).type, data: part.data };
    }
    if (!type.startsWith('image/')) {
      throw new PacsError('BAD_RESPONSE', `expected an image, got ${type || 'no Content-Type'}`, {
        source: id,
        httpStatus: response.status,
      });
    }
    return { contentType: type, data: response.body };
  };

  const adapter: PacsAdapter = {
    id,
    capabilities,

    async searchForStudies(search = {}) {
      require('searchForStudies');
      const datasets = await qido('/studies', search, 'study');
      return { items: datasets.map((dataset) => toStudy(dataset, [id])), errors: [] };
    },

    async searchForSeries(search = {}) {
      require('searchForSeries');
      const path = search.studyInstanceUID ? `/studies/${uid(search.studyInstanceUID)}/series` : '/series';
      const datasets = withScope(await qido(path, search, 'series'), search);
      return { items: datasets.map((dataset) => toSeries(dataset, [id])), errors: [] };
    },

    async searchForInstances(search = {}) {
      require('searchForInstances');
      let path = '/instances';
      if (search.studyInstanceUID && search.seriesInstanceUID) {
        path = `/studies/${uid(search.studyInstanceUID)}/series/${uid(search.seriesInstanceUID)}/instances`;
      } else if (search.studyInstanceUID) {
        path = `/studies/${uid(search.studyInstanceUID)}/instances`;
      }
      const datasets = withScope(await qido(path, search, 'instance'), search);
      return { items: datasets.map((dataset) => toInstance(dataset, [id])), errors: [] };
    },

    async retrieveStudyMetadata(request) {
      require('retrieveMetadata');
      return metadata(`/studies/${uid(request.studyInstanceUID)}/metadata`, request.signal);
    },

    async retrieveSeriesMetadata(request) {
      require('retrieveMetadata');
      return metadata(
        `/studies/${uid(request.studyInstanceUID)}/series/${uid(request.seriesInstanceUID)}/metadata`,
        request.signal,
      );
    },

    async retrieveInstanceMetadata(request) {
      require('retrieveMetadata');
      const datasets = await metadata(`${instancePath(request)}/metadata`, request.signal);
      return datasets[0]!;
    },

    async retrieveInstance(request) {
      require('retrieveInstance');
      const syntax = request.transferSyntaxUID ?? '*';
      const response = await http.request({
        path: instancePath(request),
        // Single-part application/dicom is accepted too (PS3.18 8.7.3.5.2; dicomweb-client#47).
        accept: `${dicomMultipart}; transfer-syntax=${syntax}, application/dicom; transfer-syntax=${syntax}`,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const parts = bodyParts(response, id);
      if (parts.length !== 1) {
        throw new PacsError('BAD_RESPONSE', `expected one instance, got ${parts.length} parts`, {
          source: id,
          httpStatus: response.status,
        });
      }
      const bytes = parts[0]!.data;
      // A Part 10 file has "DICM" after its 128-byte preamble (PS3.10 7.1).
      if (bytes.length < 132 || new TextDecoder().decode(bytes.subarray(128, 132)) !== 'DICM') {
        throw new PacsError('BAD_RESPONSE', 'the instance is not a DICOM Part 10 file', {
          source: id,
          httpStatus: response.status,
        });
      }
      return bytes;
    },

    async retrieveInstanceFrames(request) {
      require('retrieveInstanceFrames');
      if (
        request.frameNumbers.length === 0 ||
        request.frameNumbers.some((n) => !Number.isInteger(n) || n < 1)
      ) {
        throw new PacsError('INVALID_ARGUMENT', 'frame numbers are 1-based integers', { source: id });
      }
      const syntax = request.transferSyntaxUID ?? '*';
      const response = await http.request({
        path: `${instancePath(request)}/frames/${request.frameNumbers.join(',')}`,
        accept: `multipart/related; type="application/octet-stream"; transfer-syntax=${syntax}`,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const parts = bodyParts(response, id);
      if (parts.length !== request.frameNumbers.length) {
        throw new PacsError(
          'BAD_RESPONSE',
          `asked for ${request.frameNumbers.length} frames, got ${parts.length} parts`,
          { source: id, httpStatus: response.status },
        );
      }
      // Keep each frame's transfer syntax (part header, else the message's `type` parameter, where
      // Orthanc nests it) so that a viewer can decode it (dicomweb-client#108 dropped it).
      const messageSyntax = transferSyntaxOf(parseMediaType(response.contentType));
      return parts.map((part, index): RetrievedFrame => {
        const partType = parseMediaType(part.contentType);
        const transferSyntaxUID = transferSyntaxOf(partType) ?? messageSyntax;
        return {
          frameNumber: request.frameNumbers[index]!,
          contentType: partType.type,
          ...(transferSyntaxUID ? { transferSyntaxUID } : {}),
          data: part.data,
        };
      });
    },

    async retrieveRendered(request) {
      require('retrieveRendered');
      const path =
        request.frameNumber === undefined
          ? `${instancePath(request)}/rendered`
          : `${instancePath(request)}/frames/${request.frameNumber}/rendered`;
      const response = await http.request({
        path,
        accept: request.mediaType ?? 'image/jpeg',
        query: {
          // PS3.18 8.3.5.1.3/4: window=center,width,function and viewport=vw,vh.
          window: request.window ? `${request.window.center},${request.window.width},linear` : undefined,
          viewport: request.viewport ? `${request.viewport.width},${request.viewport.height}` : undefined,
          quality: request.quality,
        },
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return image(response);
    },

    async retrieveThumbnail(request) {
      require('retrieveThumbnail');
      const viewport = request.viewport ?? { width: 128, height: 128 };
      if (options.thumbnails === 'rendered') {
        const sopInstanceUID = request.sopInstanceUID;
        let target:
          | { studyInstanceUID: string; seriesInstanceUID: string; sopInstanceUID: string }
          | undefined;
        if (sopInstanceUID && request.seriesInstanceUID) {
          target = {
            studyInstanceUID: request.studyInstanceUID,
            seriesInstanceUID: request.seriesInstanceUID,
            sopInstanceUID,
          };
        } else {
          const found = await adapter.searchForInstances({
            studyInstanceUID: request.studyInstanceUID,
            ...(request.seriesInstanceUID ? { seriesInstanceUID: request.seriesInstanceUID } : {}),
            limit: 1,
            ...(request.signal ? { signal: request.signal } : {}),
          });
          const first = found.items[0];
          if (!first)
            throw new PacsError('NOT_FOUND', 'no instance to render a thumbnail from', { source: id });
          target = {
            studyInstanceUID: request.studyInstanceUID,
            seriesInstanceUID: first.SeriesInstanceUID,
            sopInstanceUID: first.SOPInstanceUID,
          };
        }
        return adapter.retrieveRendered({
          ...target,
          viewport,
          ...(request.mediaType ? { mediaType: request.mediaType } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        });
      }
      let path = `/studies/${uid(request.studyInstanceUID)}`;
      if (request.seriesInstanceUID) path += `/series/${uid(request.seriesInstanceUID)}`;
      if (request.seriesInstanceUID && request.sopInstanceUID)
        path += `/instances/${uid(request.sopInstanceUID)}`;
      const response = await http.request({
        path: `${path}/thumbnail`,
        accept: request.mediaType ?? 'image/jpeg',
        query: { viewport: `${viewport.width},${viewport.height}` },
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return image(response);
    },

    async storeInstances(request): Promise<StoreResult> {
      require('storeInstances');
      if (request.instances.length === 0) {
        throw new PacsError('INVALID_ARGUMENT', 'nothing to store', { source: id });
      }
      const encoded = encodeMultipartRelated(request.instances, 'application/dicom', randomBoundary());
      const response = await http.request({
        method: 'POST',
        path: request.studyInstanceUID ? `/studies/${uid(request.studyInstanceUID)}` : '/studies',
        headers: { 'Content-Type': encoded.contentType },
        body: encoded.body,
        accept: 'application/dicom+json, application/json',
        // PS3.18 10.5.3: 409 means every instance failed, with a FailedSOPSequence in the body.
        acceptStatuses: [409],
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return readStoreResponse(response, id);
    },

    async deleteStudy(request) {
      require('deleteStudy');
      await http.request({
        method: 'DELETE',
        path: `/studies/${uid(request.studyInstanceUID)}`,
        ...(request.signal ? { signal: request.signal } : {}),
      });
    },

    async echo(request = {}): Promise<EchoResult> {
      const started = clock.now();
      const response = await http.request({
        path: '/studies',
        query: { limit: 1 },
        accept: 'application/dicom+json, application/json',
        ...(request.signal ? { signal: request.signal } : {}),
      });
      readDicomJsonArray(parseJsonBody(response, id), id, response.status);
      return { ok: true, latencyMs: clock.now() - started };
    },
  };
  return adapter;
}

export type { DatasetNormalizer };
