import { PacsError } from '@pacskit/dicom';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SearchQuery } from '../services/QueryService.js';
import type { DicomwebServices } from './DicomwebServices.js';
import { mediaTypeMatches, parseAccept } from './accept.js';
import { dicomwebBaseUrl, principalOf, uidParam } from './requestContext.js';

type Params = { study?: string; series?: string };
type Query = Record<string, string | string[] | undefined>;

function single(name: string, value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) {
    if (value.length > 1)
      throw new PacsError('INVALID_QUERY', `${name} is given more than once`, { details: { name } });
    return value[0];
  }
  return value;
}

function integerParam(name: string, value: string | string[] | undefined): number | undefined {
  const text = single(name, value);
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text)) {
    throw new PacsError('INVALID_QUERY', `${name} must be a non-negative integer`, { details: { name } });
  }
  return Number(text);
}

/** QIDO-RS query parameters (PS3.18 8.3.4) → the services' SearchQuery. */
export function searchQueryFromParameters(query: Query): SearchQuery {
  const match: Record<string, string> = {};
  const includeField: string[] = [];
  let fuzzyMatching = false;
  let limit: number | undefined;
  let offset: number | undefined;
  for (const [rawName, value] of Object.entries(query)) {
    const name = rawName.toLowerCase();
    if (name === 'limit') limit = integerParam('limit', value);
    else if (name === 'offset') offset = integerParam('offset', value);
    else if (name === 'fuzzymatching') {
      const v = single('fuzzymatching', value);
      if (v !== 'true' && v !== 'false')
        throw new PacsError('INVALID_QUERY', 'fuzzymatching must be true or false');
      fuzzyMatching = v === 'true';
    } else if (name === 'includefield') {
      for (const v of Array.isArray(value) ? value : [value ?? '']) {
        includeField.push(
          ...v
            .split(',')
            .map((f) => f.trim())
            .filter((f) => f !== ''),
        );
      }
    } else {
      const values = Array.isArray(value) ? value : [value ?? ''];
      match[rawName] = values.join(',');
    }
  }
  return {
    match,
    fuzzyMatching,
    ...(includeField.length > 0 ? { includeField: includeField.includes('all') ? 'all' : includeField } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(offset !== undefined ? { offset } : {}),
  };
}

function checkAccept(request: FastifyRequest): void {
  const ranges = parseAccept(request.headers.accept);
  const ok = ranges.some(
    (r) =>
      mediaTypeMatches(r.mediaType, 'application/dicom+json') ||
      mediaTypeMatches(r.mediaType, 'application/json'),
  );
  if (!ok) throw new PacsError('NOT_ACCEPTABLE', 'QIDO-RS answers application/dicom+json only');
}

/** QIDO-RS (PS3.18 10.6): studies, series and instances, at the root and nested. */
export function registerQidoRoutes(app: FastifyInstance, services: DicomwebServices, prefix: string): void {
  const make =
    (level: 'study' | 'series' | 'instance') =>
    async (request: FastifyRequest<{ Params: Params; Querystring: Query }>, reply: FastifyReply) => {
      checkAccept(request);
      const query = searchQueryFromParameters(request.query);
      const studyInstanceUID =
        request.params.study === undefined ? undefined : uidParam(request.params.study, 'study');
      const seriesInstanceUID =
        request.params.series === undefined ? undefined : uidParam(request.params.series, 'series');
      const options = {
        principal: principalOf(request),
        retrieveUrlBase: dicomwebBaseUrl(request, prefix),
        ...(studyInstanceUID !== undefined ? { studyInstanceUID } : {}),
        ...(seriesInstanceUID !== undefined ? { seriesInstanceUID } : {}),
      };
      const results =
        level === 'study'
          ? await services.query.searchForStudies(query, options)
          : level === 'series'
            ? await services.query.searchForSeries(query, options)
            : await services.query.searchForInstances(query, options);
      reply.type('application/dicom+json');
      return JSON.stringify(results);
    };
  app.get(`${prefix}/studies`, make('study'));
  app.get(`${prefix}/series`, make('series'));
  app.get(`${prefix}/studies/:study/series`, make('series'));
  app.get(`${prefix}/instances`, make('instance'));
  app.get(`${prefix}/studies/:study/instances`, make('instance'));
  app.get(`${prefix}/studies/:study/series/:series/instances`, make('instance'));
}
