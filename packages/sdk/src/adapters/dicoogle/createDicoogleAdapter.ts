import { PacsError } from '@pacskit/dicom';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { createConcurrencyLimiter } from '../../federation/concurrencyLimiter.js';
import { createHttpTransport, parseJsonBody } from '../../http/httpTransport.js';
import type { HttpTransport, HttpTransportOptions, QueryValue } from '../../http/httpTransport.js';
import { parseMediaType } from '../../multipart/parseMediaType.js';
import type {
  AdapterCapabilities,
  Instance,
  PacsAdapter,
  RenderedImage,
  SearchForInstancesOptions,
  SearchOptions,
  SearchResult,
  Series,
  Study,
} from '../../pacsAdapter.js';
import { defaultClock } from '../../runtime.js';
import type { Clock, FetchLike, Timers } from '../../runtime.js';
import { keywordsToDicomJson } from '../../views/keywordsToDicomJson.js';
import { composeNormalizers } from '../../views/normalization.js';
import { trimPersonNames } from '../../views/trimPersonNames.js';
import type { DatasetNormalizer } from '../../views/normalization.js';
import { toInstance, toSeries, toStudy } from '../../views/toStudy.js';
import { toLuceneQuery } from './toLuceneQuery.js';

export interface DicoogleAdapterOptions {
  /** Dicoogle's web root, e.g. `https://dicoogle.example.org`. */
  baseUrl: string;
  id?: string;
  fetch?: FetchLike;
  /** Logs in with `POST /login` and sends the session token raw in `Authorization`. */
  credentials?: { username: string; password: string };
  /** A token from an earlier session (used until the server answers 401, then `credentials`). */
  token?: string;
  /** Query provider(s) (`provider=`); default: Dicoogle's default providers. */
  provider?: string | readonly string[];
  headers?: Record<string, string>;
  timeoutMs?: number;
  timers?: Timers;
  clock?: Clock;
  normalize?: DatasetNormalizer;
  /** Parallel `/dump` calls when reading the metadata of a series or study (default 6). */
  metadataConcurrency?: number;
}

export const dicoogleCapabilities: AdapterCapabilities = {
  searchForStudies: true,
  searchForSeries: true,
  searchForInstances: true,
  retrieveMetadata: true,
  retrieveInstance: true,
  retrieveInstanceFrames: false,
  retrieveRendered: true,
  retrieveThumbnail: true,
  storeInstances: false,
  deleteStudy: false,
  fuzzyMatching: false,
  wadoRsImageIds: false,
  wadoUriImageIds: true,
};

/** Dicoogle's DIM tree (`/searchDIM`); note the `serie…` keys (DIMGeneric.getJSON). */
interface DimPatient {
  id?: string;
  name?: string;
  gender?: string;
  birthdate?: string;
  studies?: DimStudy[];
}
interface DimStudy {
  studyInstanceUID?: string;
  studyDate?: string;
  studyDescription?: string;
  institutionName?: string;
  modalities?: string | string[];
  series?: DimSeries[];
}
interface DimSeries {
  serieNumber?: number | string;
  serieInstanceUID?: string;
  serieDescription?: string;
  serieModality?: string;
  images?: { sopInstanceUID?: string }[];
}

const instanceFields = [
  'StudyInstanceUID',
  'SeriesInstanceUID',
  'SOPInstanceUID',
  'SOPClassUID',
  'InstanceNumber',
  'Rows',
  'Columns',
  'NumberOfFrames',
  'PatientID',
  'Modality',
];

/**
 * Dicoogle (no DICOMweb): Lucene search through `/search` and `/searchDIM`, metadata from
 * `/dump`, files from the legacy WADO-URI endpoint, PNG renders from `/dic2png`.
 * Shapes follow Dicoogle's servlets (SearchServlet, DumpServlet, DIMGeneric) and
 * dicoogle-client-js; see test/replays/dicoogle.json.
 */
export function createDicoogleAdapter(options: DicoogleAdapterOptions): PacsAdapter {
  const id = options.id ?? 'dicoogle';
  const clock = options.clock ?? defaultClock;
  const normalize = composeNormalizers(trimPersonNames, options.normalize);
  const common: Omit<HttpTransportOptions, 'auth'> = {
    baseUrl: options.baseUrl,
    source: id,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const anonymous = createHttpTransport(common);
  let token = options.token;
  const login = async (signal: AbortSignal | undefined): Promise<string> => {
    if (!options.credentials) {
      throw new PacsError('UNAUTHENTICATED', 'Dicoogle rejected the token and no credentials were given', {
        source: id,
        httpStatus: 401,
      });
    }
    const response = await anonymous.request({
      method: 'POST',
      path: '/login',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(options.credentials).toString(),
      accept: 'application/json',
      ...(signal ? { signal } : {}),
    });
    const answer = parseJsonBody(response, id) as { token?: unknown } | undefined;
    if (typeof answer?.token !== 'string' || answer.token === '') {
      throw new PacsError('UNAUTHENTICATED', 'Dicoogle login answered without a token', {
        source: id,
        httpStatus: response.status,
      });
    }
    return answer.token;
  };
  const authenticated = options.credentials !== undefined || options.token !== undefined;
  const http: HttpTransport = authenticated
    ? createHttpTransport({
        ...common,
        auth: {
          type: 'headers',
          // Dicoogle takes the bare session token, without a scheme (Socket.request in dicoogle-client-js).
          headers: async ({ forceRefresh, signal }) => {
            if (token === undefined || forceRefresh) token = await login(signal);
            return { Authorization: token };
          },
        },
      })
    : anonymous;

  // Dicoogle's servlets read `provider` and `field` with getParameterValues: one parameter per value.
  const providerQuery = (): Record<string, QueryValue> =>
    options.provider === undefined
      ? {}
      : {
          provider: {
            repeated: typeof options.provider === 'string' ? [options.provider] : options.provider,
          },
        };

  const json = async (path: string, query: Record<string, QueryValue>, signal: AbortSignal | undefined) => {
    const response = await http.request({
      path,
      query: { ...providerQuery(), ...query },
      accept: 'application/json',
      ...(signal ? { signal } : {}),
    });
    const body = parseJsonBody(response, id);
    if (body === null || typeof body !== 'object') {
      throw new PacsError('BAD_RESPONSE', `${path} did not answer a JSON object`, {
        source: id,
        httpStatus: response.status,
      });
    }
    return { body: body as Record<string, unknown>, status: response.status };
  };

  /** `results` may be an array, a single object (net.sf.json `accumulate` with one result) or absent (none). */
  const resultList = (body: Record<string, unknown>): unknown[] => {
    const results = body.results;
    if (results === undefined || results === null) return [];
    return Array.isArray(results) ? results : [results];
  };

  const searchDim = async (search: SearchOptions, extra: Record<string, string | undefined>) => {
    const query = { ...search.query };
    for (const [key, value] of Object.entries(extra)) if (value !== undefined) query[key] = value;
    const { body } = await json(
      '/searchDIM',
      { query: toLuceneQuery(query, id), keyword: 'true', depth: 'series' },
      search.signal,
    );
    return resultList(body) as DimPatient[];
  };

  const page = <T>(items: T[], search: SearchOptions): T[] => {
    // /searchDIM's psize/offset count patients, not studies or series: studies and series are
    // paged here on the flattened level.
    const start = search.offset ?? 0;
    return items.slice(start, search.limit === undefined ? undefined : start + search.limit);
  };

  const searchInstances = async (search: SearchForInstancesOptions): Promise<DicomJsonDataset[]> => {
    const query = { ...search.query };
    if (search.studyInstanceUID) query.StudyInstanceUID = search.studyInstanceUID;
    if (search.seriesInstanceUID) query.SeriesInstanceUID = search.seriesInstanceUID;
    const { body } = await json(
      '/search',
      {
        query: toLuceneQuery(query, id),
        keyword: 'true',
        field: { repeated: instanceFields },
        // /search pages over files, which are instances: its psize/offset are ours (Dicoogle ≥ 2.4).
        psize: search.limit,
        offset: search.limit === undefined && search.offset === undefined ? undefined : (search.offset ?? 0),
      },
      search.signal,
    );
    return resultList(body).map((result) => {
      const fields = (result as { fields?: Record<string, unknown> }).fields;
      return normalize(keywordsToDicomJson(fields), { level: 'instance', source: id });
    });
  };

  const dump = async (sopInstanceUID: string, signal: AbortSignal | undefined): Promise<DicomJsonDataset> => {
    const { body, status } = await json('/dump', { uid: sopInstanceUID }, signal);
    const [first] = resultList(body) as { fields?: Record<string, unknown> }[];
    // DumpServlet answers 200 with numResults 0 for an unknown UID.
    if (!first?.fields)
      throw new PacsError('NOT_FOUND', 'Dicoogle has no such instance', { source: id, httpStatus: status });
    return normalize(keywordsToDicomJson(first.fields), { level: 'metadata', source: id });
  };

  const metadataOf = async (search: SearchForInstancesOptions): Promise<DicomJsonDataset[]> => {
    const instances = await searchInstances(search);
    if (instances.length === 0) {
      throw new PacsError('NOT_FOUND', 'Dicoogle has no instances there', { source: id, httpStatus: 200 });
    }
    // One /dump per instance (Dicoogle has no study-level metadata), a few at a time.
    const limiter = createConcurrencyLimiter(options.metadataConcurrency ?? 6);
    const uids = instances.flatMap((instance) => {
      const uid = instance['00080018']?.Value?.[0];
      return typeof uid === 'string' ? [uid] : [];
    });
    return Promise.all(uids.map((uid) => limiter.run(() => dump(uid, search.signal))));
  };

  const png = async (
    query: Record<string, QueryValue>,
    signal: AbortSignal | undefined,
  ): Promise<RenderedImage> => {
    const response = await http.request({
      path: '/dic2png',
      query,
      accept: 'image/png',
      ...(signal ? { signal } : {}),
    });
    const type = parseMediaType(response.contentType).type;
    const isPng = response.body[0] === 0x89 && response.body[1] === 0x50;
    if (!isPng) {
      throw new PacsError('BAD_RESPONSE', `expected a PNG, got ${type || 'no Content-Type'}`, {
        source: id,
        httpStatus: response.status,
      });
    }
    return { contentType: 'image/png', data: response.body };
  };

  const notSupported = (operation: string) =>
    Promise.reject(new PacsError('NOT_SUPPORTED', `Dicoogle has no ${operation}`, { source: id }));

  return {
    id,
    capabilities: dicoogleCapabilities,

    async searchForStudies(search = {}): Promise<SearchResult<Study>> {
      const patients = await searchDim(search, {});
      const studies = patients.flatMap((patient) =>
        (patient.studies ?? []).map((study) => {
          const modalities = Array.isArray(study.modalities)
            ? study.modalities
            : (study.modalities ?? '').split(',').filter(Boolean);
          const dataset: DicomJsonDataset = {
            ...keywordsToDicomJson({
              PatientID: patient.id,
              PatientName: patient.name,
              PatientSex: patient.gender,
              PatientBirthDate: patient.birthdate,
              StudyInstanceUID: study.studyInstanceUID,
              StudyDate: study.studyDate,
              StudyDescription: study.studyDescription,
              InstitutionName: study.institutionName,
              NumberOfStudyRelatedSeries: study.series?.length,
            }),
            '00080061': modalities.length > 0 ? { vr: 'CS', Value: modalities } : { vr: 'CS' },
          };
          return toStudy(normalize(dataset, { level: 'study', source: id }), [id]);
        }),
      );
      return { items: page(studies, search), errors: [] };
    },

    async searchForSeries(search = {}): Promise<SearchResult<Series>> {
      const patients = await searchDim(search, { StudyInstanceUID: search.studyInstanceUID });
      const series = patients.flatMap((patient) =>
        (patient.studies ?? []).flatMap((study) =>
          (study.series ?? []).map((item) =>
            toSeries(
              normalize(
                keywordsToDicomJson({
                  StudyInstanceUID: study.studyInstanceUID,
                  SeriesInstanceUID: item.serieInstanceUID,
                  SeriesNumber: item.serieNumber,
                  SeriesDescription: item.serieDescription,
                  Modality: item.serieModality,
                  NumberOfSeriesRelatedInstances: item.images?.length,
                }),
                { level: 'series', source: id },
              ),
              [id],
            ),
          ),
        ),
      );
      return { items: page(series, search), errors: [] };
    },

    async searchForInstances(search = {}): Promise<SearchResult<Instance>> {
      const datasets = await searchInstances(search);
      return { items: datasets.map((dataset) => toInstance(dataset, [id])), errors: [] };
    },

    retrieveStudyMetadata: (request) =>
      metadataOf({
        studyInstanceUID: request.studyInstanceUID,
        ...(request.signal ? { signal: request.signal } : {}),
      }),
    retrieveSeriesMetadata: (request) =>
      metadataOf({
        studyInstanceUID: request.studyInstanceUID,
        seriesInstanceUID: request.seriesInstanceUID,
        ...(request.signal ? { signal: request.signal } : {}),
      }),
    async retrieveInstanceMetadata(request) {
      const dataset = await dump(request.sopInstanceUID, request.signal);
      const study = dataset['0020000D']?.Value?.[0];
      if (study !== undefined && study !== request.studyInstanceUID) {
        throw new PacsError('NOT_FOUND', 'the instance is not in that study', {
          source: id,
          httpStatus: 200,
        });
      }
      return dataset;
    },

    async retrieveInstance(request) {
      // WADO-URI (PS3.18 9.1) at Dicoogle's legacy endpoint.
      const response = await http.request({
        path: '/legacy/wado',
        query: {
          requestType: 'WADO',
          studyUID: request.studyInstanceUID,
          seriesUID: request.seriesInstanceUID,
          objectUID: request.sopInstanceUID,
          contentType: 'application/dicom',
        },
        accept: 'application/dicom',
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const magic = new TextDecoder().decode(response.body.subarray(128, 132));
      if (magic !== 'DICM') {
        throw new PacsError('BAD_RESPONSE', 'the WADO-URI answer is not a DICOM file', {
          source: id,
          httpStatus: response.status,
        });
      }
      return response.body;
    },

    retrieveInstanceFrames: () => notSupported('frame retrieval'),

    // dic2png renders PNG only; `mediaType` is a preference the answer's contentType reports on.
    retrieveRendered: (request) =>
      png(
        {
          SOPInstanceUID: request.sopInstanceUID,
          ...(request.frameNumber ? { frame: request.frameNumber - 1 } : {}),
        },
        request.signal,
      ),

    async retrieveThumbnail(request) {
      let sopInstanceUID = request.sopInstanceUID;
      if (!sopInstanceUID) {
        const [first] = await searchInstances({
          studyInstanceUID: request.studyInstanceUID,
          ...(request.seriesInstanceUID ? { seriesInstanceUID: request.seriesInstanceUID } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        });
        const uid = first?.['00080018']?.Value?.[0];
        if (typeof uid !== 'string')
          throw new PacsError('NOT_FOUND', 'no instance to preview', { source: id });
        sopInstanceUID = uid;
      }
      return png({ SOPInstanceUID: sopInstanceUID, thumbnail: 'true' }, request.signal);
    },

    storeInstances: () => notSupported('STOW-RS (store through DICOM C-STORE instead)'),
    deleteStudy: () => notSupported('study deletion'),

    async echo(request = {}) {
      const started = clock.now();
      const { body } = await json('/ext/version', {}, request.signal);
      if (typeof body.version !== 'string') {
        throw new PacsError('BAD_RESPONSE', '/ext/version did not answer like Dicoogle', {
          source: id,
          httpStatus: 200,
        });
      }
      return { ok: true, latencyMs: clock.now() - started };
    },
  };
}
