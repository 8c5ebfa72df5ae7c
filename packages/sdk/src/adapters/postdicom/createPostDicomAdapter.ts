import { PacsError } from '@pacskit/dicom';
import { createHttpTransport, parseJsonBody } from '../../http/httpTransport.js';
import type { HttpResponse, HttpTransportOptions } from '../../http/httpTransport.js';
import { encodeMultipartRelated } from '../../multipart/encodeMultipartRelated.js';
import { parseMediaType } from '../../multipart/parseMediaType.js';
import { parseMultipartRelated } from '../../multipart/parseMultipartRelated.js';
import type { PacsAdapter, QueryKeys, RequestOptions, SearchOptions } from '../../pacsAdapter.js';
import type { Clock, FetchLike, Timers } from '../../runtime.js';
import { keywordDictionary } from '../../views/keywordDictionary.js';
import { composeNormalizers } from '../../views/normalization.js';
import { trimPersonNames } from '../../views/trimPersonNames.js';
import type { DatasetNormalizer } from '../../views/normalization.js';
import { readDicomJsonArray } from '../../views/readDicomJson.js';
import { toInstance, toSeries } from '../../views/toStudy.js';
import { createDicomwebAdapterOn } from '../dicomweb/createDicomwebAdapter.js';
import { qidoQuery } from '../dicomweb/dicomwebRequests.js';
import { readStoreResponse } from '../dicomweb/readStoreResponse.js';

export interface PostDicomAdapterOptions {
  /** The account's DICOMweb address (PostDICOM's "WebAddress"). */
  baseUrl: string;
  /** Account e-mail and password, sent with HTTP Basic (DICOMweb access is enabled per account). */
  username: string;
  password: string;
  id?: string;
  fetch?: FetchLike;
  headers?: Record<string, string>;
  timeoutMs?: number;
  timers?: Timers;
  clock?: Clock;
  normalize?: DatasetNormalizer;
}

export interface CreateShareLinkOptions extends RequestOptions {
  /** PostDICOM patient order UUIDs to share (its unit of sharing, not Study Instance UIDs). */
  patientOrderUuids: readonly string[];
  /** Last day the link works, `YYYY-MM-DD`. */
  expireDate: string;
  /** A password the recipient must enter; empty for none. */
  password?: string;
  /** Whether the recipient may download the images. */
  downloadable?: boolean;
}

export interface ShareLink {
  url: string;
  /** The whole answer, for fields PacsKit does not interpret. */
  response: unknown;
}

export interface PostDicomAdapter extends PacsAdapter {
  /** `GET /createsharelink` with its parameters as JSON in the `ShareParameters` header. */
  createShareLink(options: CreateShareLinkOptions): Promise<ShareLink>;
}

/**
 * PostDICOM: DICOMweb with Basic auth plus its share-link endpoint. Paths follow PostDICOM's
 * own sample clients (postdicom/dicomWeb-client Program.cs, postdicom/dicomWeb-client-with-node
 * app.js) where they differ from PS3.18: STOW-RS to the root, series and instance search at
 * `/studies/series` and `/studies/series/instances` with UID keys as tags, and instances at
 * `/studies/series/instances/{sop}`. Query keys are sent as tags, as those samples do.
 */
export function createPostDicomAdapter(options: PostDicomAdapterOptions): PostDicomAdapter {
  const id = options.id ?? 'postdicom';
  const transportOptions: HttpTransportOptions = {
    baseUrl: options.baseUrl,
    source: id,
    auth: { type: 'basic', username: options.username, password: options.password },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const http = createHttpTransport(transportOptions);
  const normalize = composeNormalizers(trimPersonNames, options.normalize);
  const base = createDicomwebAdapterOn(http, {
    // Frames, renders and thumbnails are not in PostDICOM's published samples: not claimed.
    capabilities: {
      retrieveInstanceFrames: false,
      retrieveRendered: false,
      retrieveThumbnail: false,
      wadoRsImageIds: false,
    },
    ...(options.normalize ? { normalize: options.normalize } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });

  const search = async (
    path: string,
    keys: QueryKeys,
    searchOptions: SearchOptions,
    level: 'series' | 'instance',
  ) => {
    const response = await http.request({
      path,
      query: qidoQuery({ ...searchOptions, query: { ...asTags(searchOptions.query), ...keys } }),
      accept: 'application/dicom+json, application/json',
      ...(searchOptions.signal ? { signal: searchOptions.signal } : {}),
    });
    return readDicomJsonArray(parseJsonBody(response, id), id, response.status).map((dataset) =>
      normalize(dataset, { level, source: id }),
    );
  };

  return {
    ...base,
    id,
    capabilities: base.capabilities,

    searchForStudies: (searchOptions = {}) =>
      base.searchForStudies({ ...searchOptions, query: asTags(searchOptions.query) }),

    async searchForSeries(searchOptions = {}) {
      const keys: QueryKeys = searchOptions.studyInstanceUID
        ? { '0020000D': searchOptions.studyInstanceUID }
        : {};
      const datasets = await search('/studies/series', keys, searchOptions, 'series');
      return { items: datasets.map((dataset) => toSeries(dataset, [id])), errors: [] };
    },

    async searchForInstances(searchOptions = {}) {
      const keys: QueryKeys = {};
      if (searchOptions.studyInstanceUID) keys['0020000D'] = searchOptions.studyInstanceUID;
      if (searchOptions.seriesInstanceUID) keys['0020000E'] = searchOptions.seriesInstanceUID;
      const datasets = await search('/studies/series/instances', keys, searchOptions, 'instance');
      return { items: datasets.map((dataset) => toInstance(dataset, [id])), errors: [] };
    },

    async retrieveInstance(request) {
      const response = await http.request({
        path: `/studies/series/instances/${encodeURIComponent(request.sopInstanceUID)}`,
        accept: `multipart/related; type="application/dicom"; transfer-syntax=${request.transferSyntaxUID ?? '*'}`,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return singleInstance(response, id);
    },

    async storeInstances(request) {
      if (request.instances.length === 0)
        throw new PacsError('INVALID_ARGUMENT', 'nothing to store', { source: id });
      const encoded = encodeMultipartRelated(
        request.instances,
        'application/dicom',
        `pacskit-${Date.now().toString(16)}`,
      );
      const response = await http.request({
        method: 'POST',
        path: '/',
        headers: { 'Content-Type': encoded.contentType },
        body: encoded.body,
        accept: 'application/dicom+json, application/json',
        acceptStatuses: [409],
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return readStoreResponse(response, id);
    },

    async createShareLink(request) {
      if (request.patientOrderUuids.length === 0) {
        throw new PacsError('INVALID_ARGUMENT', 'no patient order to share', { source: id });
      }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(request.expireDate)) {
        throw new PacsError('INVALID_ARGUMENT', 'expireDate must be YYYY-MM-DD', { source: id });
      }
      // Nested JSON strings, exactly as PostDICOM's node sample builds them (CreateShareLinkInternal).
      const parameters = {
        PatientOrderInfoList: JSON.stringify(
          request.patientOrderUuids.map((uuid) => JSON.stringify({ PatientOrderUuid: uuid })),
        ),
        ExpireDate: request.expireDate,
        SharePassword: request.password ?? '',
        Downloadable: String(request.downloadable ?? false),
      };
      const response = await http.request({
        path: '/createsharelink',
        headers: { ShareParameters: JSON.stringify(parameters) },
        accept: 'application/json',
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const answer = /json/i.test(response.contentType)
        ? parseJsonBody(response, id)
        : new TextDecoder().decode(response.body).trim();
      const url = findUrl(answer);
      if (!url) {
        throw new PacsError('BAD_RESPONSE', 'the share answer holds no link', {
          source: id,
          httpStatus: response.status,
        });
      }
      return { url, response: answer };
    },
  };
}

/** QIDO keys by tag, as PostDICOM documents them (`?00100020=`); unknown keywords pass unchanged. */
function asTags(query: QueryKeys | undefined): QueryKeys {
  const converted: QueryKeys = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    converted[keywordDictionary[key]?.[0] ?? key] = value;
  }
  return converted;
}

function singleInstance(response: HttpResponse, source: string): Uint8Array {
  const type = parseMediaType(response.contentType).type;
  const parts = type.startsWith('multipart/')
    ? parseMultipartRelated(response.body, response.contentType, { source, httpStatus: response.status })
    : type === 'application/dicom'
      ? [{ data: response.body }]
      : [];
  if (parts.length !== 1) {
    throw new PacsError(
      'BAD_RESPONSE',
      `expected one instance, got ${parts.length} parts of ${type || 'nothing'}`,
      {
        source,
        httpStatus: response.status,
      },
    );
  }
  return parts[0]!.data;
}

/** The share link in an answer whose exact shape PostDICOM does not publish: a URL string or the first URL field. */
function findUrl(value: unknown): string | undefined {
  if (typeof value === 'string') return /^https?:\/\//i.test(value) ? value : undefined;
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) {
      const found = findUrl(inner);
      if (found) return found;
    }
  }
  return undefined;
}
