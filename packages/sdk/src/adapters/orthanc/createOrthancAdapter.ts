import { PacsError } from '@pacskit/dicom';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { createDicomwebAdapterOn } from '../dicomweb/createDicomwebAdapter.js';
import type { DicomwebAdapterOptions } from '../dicomweb/createDicomwebAdapter.js';
import { createHttpTransport, parseJsonBody } from '../../http/httpTransport.js';
import type { HttpTransport, HttpTransportOptions } from '../../http/httpTransport.js';
import { parseMediaType } from '../../multipart/parseMediaType.js';
import type {
  PacsAdapter,
  RequestOptions,
  SearchForStudiesOptions,
  SearchResult,
  Study,
  StudyOptions,
} from '../../pacsAdapter.js';
import { defaultClock } from '../../runtime.js';
import { composeNormalizers } from '../../views/normalization.js';
import { trimPersonNames } from '../../views/trimPersonNames.js';
import { toStudy } from '../../views/toStudy.js';
import { keywordsToDicomJson as orthancTagsToDicomJson } from '../../views/keywordsToDicomJson.js';
import { isStudyFindKey } from './orthancMainDicomTags.js';

export interface OrthancAdapterOptions extends Omit<DicomwebAdapterOptions, 'baseUrl' | 'thumbnails'> {
  /** Orthanc's REST root, e.g. `https://orthanc.example.org`. */
  baseUrl: string;
  /** Where the DICOMweb plugin answers (its `DicomWeb.Root`, default `/dicom-web`). */
  dicomWebRoot?: string;
  /**
   * How study searches run: `find` uses REST `/tools/find` when every key is one of Orthanc's
   * main DICOM tags (and no includefield/fuzzy matching is asked), else QIDO-RS; `qido` always
   * uses QIDO-RS. Default `find`.
   */
  studySearch?: 'find' | 'qido';
}

export type OrthancQueryLevel = 'Patient' | 'Study' | 'Series' | 'Instance';

export interface QueryModalityOptions extends RequestOptions {
  /** The modality's name in Orthanc's `DicomModalities`. */
  modality: string;
  level: OrthancQueryLevel;
  /** C-FIND keys by keyword (PS3.4 C.6). */
  query: Record<string, string>;
}

export interface RetrieveFromModalityOptions extends RequestOptions {
  modality: string;
  studyInstanceUID: string;
}

/** Orthanc's extras beyond the PacsAdapter contract. */
export interface OrthancAdapter extends PacsAdapter {
  /** The whole study as a ZIP of Part 10 files (`GET /studies/{id}/archive`). */
  retrieveStudyArchive(options: StudyOptions): Promise<Uint8Array>;
  /** The DICOM modalities Orthanc knows (`GET /modalities`). */
  listModalities(options?: RequestOptions): Promise<string[]>;
  /** C-FIND on a remote modality through Orthanc (`POST /modalities/{name}/query`). */
  queryModality(options: QueryModalityOptions): Promise<DicomJsonDataset[]>;
  /** C-MOVE a study from a remote modality into this Orthanc (`POST /modalities/{name}/move`). */
  retrieveFromModality(options: RetrieveFromModalityOptions): Promise<void>;
  /** Orthanc's id for a DICOM UID (`POST /tools/lookup`), or NOT_FOUND. */
  lookup(uid: string, options?: RequestOptions): Promise<{ id: string; type: string }>;
}

/**
 * Orthanc: its DICOMweb plugin for the standard operations, plus REST extras — `/tools/find`
 * for study search, `/instances/{id}/preview` thumbnails (the 1.7 plugin has no `/thumbnail`),
 * `/studies/{id}/archive` ZIPs, DELETE through `/tools/lookup`, and `/modalities` query/retrieve.
 */
export function createOrthancAdapter(options: OrthancAdapterOptions): OrthancAdapter {
  const id = options.id ?? 'orthanc';
  const transportOptions: HttpTransportOptions = {
    baseUrl: options.baseUrl,
    source: id,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const rest = createHttpTransport(transportOptions);
  const dicomWeb = createHttpTransport({
    ...transportOptions,
    baseUrl: `${options.baseUrl.replace(/\/+$/, '')}${options.dicomWebRoot ?? '/dicom-web'}`,
  });
  const clock = options.clock ?? defaultClock;
  const normalize = composeNormalizers(trimPersonNames, options.normalize);
  const base = createDicomwebAdapterOn(dicomWeb, {
    capabilities: { deleteStudy: true, wadoUriImageIds: true, ...options.capabilities },
    ...(options.normalize ? { normalize: options.normalize } : {}),
    clock,
  });

  const lookup = async (uid: string, request: RequestOptions = {}) => {
    const matches = await restJson(rest, {
      method: 'POST',
      path: '/tools/lookup',
      body: uid,
      signal: request.signal,
    });
    const list = Array.isArray(matches) ? (matches as { ID?: unknown; Type?: unknown }[]) : [];
    const match = list.find((item) => typeof item.ID === 'string');
    if (!match) throw new PacsError('NOT_FOUND', 'no such UID in Orthanc', { source: id, httpStatus: 200 });
    return { id: String(match.ID), type: String(match.Type ?? '') };
  };

  const findStudies = async (search: SearchForStudiesOptions): Promise<SearchResult<Study>> => {
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(search.query ?? {})) {
      // A list of values is one multi-valued key, as in C-FIND (PS3.4 C.2.2.2.1).
      query[key] = Array.isArray(value) ? value.join('\\') : String(value);
    }
    const studies = await restJson(rest, {
      method: 'POST',
      path: '/tools/find',
      body: JSON.stringify({
        Level: 'Study',
        Query: query,
        Expand: true,
        ...(search.limit === undefined ? {} : { Limit: search.limit }),
        ...(search.offset === undefined ? {} : { Since: search.offset }),
      }),
      signal: search.signal,
    });
    if (!Array.isArray(studies)) {
      throw new PacsError('BAD_RESPONSE', '/tools/find did not answer an array', {
        source: id,
        httpStatus: 200,
      });
    }
    type Found = {
      ID: string;
      MainDicomTags?: Record<string, string>;
      PatientMainDicomTags?: Record<string, string>;
    };
    const found = studies as Found[];
    if (found.length === 0) return { items: [], errors: [] };
    // QIDO-RS computes ModalitiesInStudy and the counts (PS3.18 Table 10.6.3-3); /tools/find
    // does not, so one series-level find fills them for every study at once.
    const series = (await restJson(rest, {
      method: 'POST',
      path: '/tools/find',
      body: JSON.stringify({
        Level: 'Series',
        Query: {
          StudyInstanceUID: found.map((study) => study.MainDicomTags?.StudyInstanceUID ?? '').join('\\'),
        },
        Expand: true,
      }),
      signal: search.signal,
    })) as { ParentStudy?: string; MainDicomTags?: Record<string, string>; Instances?: unknown[] }[];
    const items = found.map((study) => {
      const children = Array.isArray(series) ? series.filter((item) => item.ParentStudy === study.ID) : [];
      const modalities = [
        ...new Set(children.map((item) => item.MainDicomTags?.Modality ?? '').filter(Boolean)),
      ];
      const dataset: DicomJsonDataset = {
        ...orthancTagsToDicomJson(study.PatientMainDicomTags, study.MainDicomTags),
        '00080061': modalities.length > 0 ? { vr: 'CS', Value: modalities } : { vr: 'CS' },
        '00201206': { vr: 'IS', Value: [children.length] },
        '00201208': {
          vr: 'IS',
          Value: [children.reduce((total, item) => total + (item.Instances?.length ?? 0), 0)],
        },
      };
      return toStudy(normalize(dataset, { level: 'study', source: id }), [id]);
    });
    return { items, errors: [] };
  };

  const adapter: OrthancAdapter = {
    ...base,
    id,
    capabilities: base.capabilities,

    async searchForStudies(search = {}) {
      const canFind =
        (options.studySearch ?? 'find') === 'find' &&
        search.includeField === undefined &&
        !search.fuzzyMatching &&
        Object.keys(search.query ?? {}).every(isStudyFindKey);
      return canFind ? findStudies(search) : base.searchForStudies(search);
    },

    async retrieveThumbnail(request) {
      let instanceId: string;
      if (request.sopInstanceUID) {
        instanceId = (await lookup(request.sopInstanceUID, request)).id;
      } else {
        const parent = await lookup(request.seriesInstanceUID ?? request.studyInstanceUID, request);
        const level = parent.type === 'Series' ? 'series' : 'studies';
        const instances = await restJson(rest, {
          path: `/${level}/${parent.id}/instances`,
          signal: request.signal,
        });
        const first = Array.isArray(instances) ? (instances[0] as { ID?: string } | undefined) : undefined;
        if (!first?.ID) throw new PacsError('NOT_FOUND', 'no instance to preview', { source: id });
        instanceId = first.ID;
      }
      // `/preview` is the full-size image; a requested viewport uses `/rendered?width&height`
      // (Orthanc ≥ 1.9), which scales it down on the server.
      const viewport = request.viewport;
      const response = await rest.request({
        path: viewport ? `/instances/${instanceId}/rendered` : `/instances/${instanceId}/preview`,
        accept: request.mediaType ?? 'image/png',
        ...(viewport ? { query: { width: viewport.width, height: viewport.height } } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const type = parseMediaType(response.contentType).type;
      if (!type.startsWith('image/')) {
        throw new PacsError('BAD_RESPONSE', `expected an image, got ${type || 'nothing'}`, {
          source: id,
          httpStatus: response.status,
        });
      }
      return { contentType: type, data: response.body };
    },

    async deleteStudy(request) {
      if (!base.capabilities.deleteStudy) {
        throw new PacsError('NOT_SUPPORTED', `${id} does not support deleteStudy`, { source: id });
      }
      const study = await lookup(request.studyInstanceUID, request);
      await rest.request({
        method: 'DELETE',
        path: `/studies/${study.id}`,
        ...(request.signal ? { signal: request.signal } : {}),
      });
    },

    async echo(request = {}) {
      const started = clock.now();
      const system = await restJson(rest, { path: '/system', signal: request.signal });
      if (!system || typeof system !== 'object' || !('Version' in system)) {
        throw new PacsError('BAD_RESPONSE', '/system did not answer like Orthanc', {
          source: id,
          httpStatus: 200,
        });
      }
      return { ok: true, latencyMs: clock.now() - started };
    },

    async retrieveStudyArchive(request) {
      const study = await lookup(request.studyInstanceUID, request);
      const response = await rest.request({
        path: `/studies/${study.id}/archive`,
        accept: 'application/zip',
        ...(request.signal ? { signal: request.signal } : {}),
      });
      // A ZIP starts with a local file header "PK\x03\x04" (APPNOTE 4.3.7).
      if (response.body[0] !== 0x50 || response.body[1] !== 0x4b) {
        throw new PacsError('BAD_RESPONSE', 'the archive is not a ZIP', {
          source: id,
          httpStatus: response.status,
        });
      }
      return response.body;
    },

    async listModalities(request = {}) {
      const names = await restJson(rest, { path: '/modalities', signal: request.signal });
      if (!Array.isArray(names)) {
        throw new PacsError('BAD_RESPONSE', '/modalities did not answer an array', {
          source: id,
          httpStatus: 200,
        });
      }
      return names.map(String);
    },

    async queryModality(request) {
      const query = (await restJson(rest, {
        method: 'POST',
        path: `/modalities/${encodeURIComponent(request.modality)}/query`,
        body: JSON.stringify({ Level: request.level, Query: request.query }),
        signal: request.signal,
      })) as { ID?: string } | undefined;
      if (!query?.ID)
        throw new PacsError('BAD_RESPONSE', 'query without an id', { source: id, httpStatus: 200 });
      const answers = await restJson(rest, {
        path: `/queries/${query.ID}/answers`,
        query: { expand: '', simplify: '' },
        signal: request.signal,
      });
      if (!Array.isArray(answers)) {
        throw new PacsError('BAD_RESPONSE', 'query answers are not an array', {
          source: id,
          httpStatus: 200,
        });
      }
      return answers.map((answer) =>
        normalize(orthancTagsToDicomJson(answer as Record<string, string>), { level: 'study', source: id }),
      );
    },

    async retrieveFromModality(request) {
      await rest.request({
        method: 'POST',
        path: `/modalities/${encodeURIComponent(request.modality)}/move`,
        body: JSON.stringify({
          Level: 'Study',
          Resources: [{ StudyInstanceUID: request.studyInstanceUID }],
          Synchronous: true,
        }),
        headers: { 'Content-Type': 'application/json' },
        ...(request.signal ? { signal: request.signal } : {}),
      });
    },

    lookup,
  };
  return adapter;
}

async function restJson(
  rest: HttpTransport,
  request: {
    method?: 'GET' | 'POST';
    path: string;
    body?: string;
    signal?: AbortSignal | undefined;
    query?: Record<string, string>;
  },
): Promise<unknown> {
  const response = await rest.request({
    method: request.method ?? 'GET',
    path: request.path,
    accept: 'application/json',
    ...(request.body === undefined
      ? {}
      : { body: request.body, headers: { 'Content-Type': 'application/json' } }),
    ...(request.query ? { query: request.query } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  return parseJsonBody(response, rest.source);
}
