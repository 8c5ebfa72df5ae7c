import { type DicomJsonDataset, PacsError, type PacsErrorCode } from '@pacskit/dicom';
import type {
  AdapterCapabilities,
  FederatedHealth,
  FederationEvent,
  SourceStatistics,
  Instance,
  QueryKeys,
  RenderedImage,
  SearchResult,
  Series,
  Study,
} from '@pacskit/sdk';
import type { PacsClient } from '../provider/pacsClient.js';
import { instanceOf, seriesOf, stringOf, studyOf, tags } from './datasetViews.js';
import { recordedInstances } from './fixtures/recordedInstances.gen.js';

export interface FixtureAdapterOptions {
  id?: string;
  /** Milliseconds every call waits before answering (shows loading states). */
  latencyMs?: number;
  /** `data` (default), `empty` (no studies), `error` (every call fails), `loading` (never answers). */
  mode?: 'data' | 'empty' | 'error' | 'loading';
  /** The PacsError code calls fail with in `error` mode. */
  errorCode?: PacsErrorCode;
  /** How many studies: the two recorded ones, then synthetic copies with new UIDs and names (long lists). */
  studyCount?: number;
  /** Federated mode: spread the studies over these source ids; `health()` reports the first one down. */
  sources?: readonly string[];
  /** Where recorded Part 10 files are served, to build `wadouri:` image IDs (`/dicom/` → `wadouri:/dicom/CT_small.dcm`). */
  imageBaseUrl?: string;
}

export interface FixtureAdapter extends PacsClient {
  /** Every Study the adapter holds, in order; for tests to compare against. */
  readonly studies: readonly Study[];
  /** How many calls reached the adapter (for cache tests). */
  readonly callCount: number;
}

const givenNames = ['Ada', 'Bruno', 'Chloé', 'Dmitri', 'Emeka', 'Fatima', 'Goran', 'Hana', 'Iris', 'Jonas'];
const familyNames = [
  'Martin',
  'Okafor',
  'Silva',
  'Novak',
  'Tanaka',
  'Dubois',
  'Haddad',
  'Larsen',
  'Moreau',
  'Ito',
];
const descriptions = ['CT HEAD W/O CONTRAST', 'MR KNEE LEFT', 'CT CHEST', 'MR BRAIN', 'CT ABDOMEN PELVIS'];

function withValue(
  dataset: DicomJsonDataset,
  tag: string,
  vr: 'UI' | 'PN' | 'LO' | 'SH' | 'DA',
  value: string,
) {
  dataset[tag] = { vr, Value: [vr === 'PN' ? { Alphabetic: value } : value] };
}

/** DICOM DA (YYYYMMDD) `days` days before 2024-06-30, so synthetic studies spread over years. */
function dateBefore(days: number): string {
  const date = new Date(Date.UTC(2024, 5, 30) - days * 86_400_000);
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

interface FixtureStudy {
  instance: DicomJsonDataset;
  name: string;
  sourceId: string;
}

function buildStudies(count: number, sources: readonly string[]): FixtureStudy[] {
  const studies: FixtureStudy[] = [];
  for (let index = 0; index < count; index++) {
    const recorded = recordedInstances[index % recordedInstances.length]!;
    // A shallow copy is enough: withValue replaces whole attributes and never mutates shared ones.
    const instance = { ...recorded.dataset };
    if (index >= recordedInstances.length) {
      // Synthetic copies: new UIDs under the 2.25 root (PS3.5 B.2) and invented names.
      const suffix = `${index}`;
      withValue(instance, tags.StudyInstanceUID, 'UI', `2.25.1000${suffix}`);
      withValue(instance, tags.SeriesInstanceUID, 'UI', `2.25.2000${suffix}`);
      withValue(instance, tags.SOPInstanceUID, 'UI', `2.25.3000${suffix}`);
      const given = givenNames[index % givenNames.length]!;
      const family = familyNames[Math.floor(index / givenNames.length) % familyNames.length]!;
      withValue(instance, tags.PatientName, 'PN', `${family}^${given}`);
      withValue(instance, tags.PatientID, 'LO', `PK${String(index).padStart(6, '0')}`);
      withValue(instance, tags.AccessionNumber, 'SH', `ACC${String(index).padStart(6, '0')}`);
      withValue(instance, tags.StudyDate, 'DA', dateBefore(index));
      withValue(instance, tags.StudyDescription, 'LO', descriptions[index % descriptions.length]!);
    }
    studies.push({ instance, name: recorded.name, sourceId: sources[index % sources.length]! });
  }
  return studies;
}

/** PS3.4 C.2.2.2.4 wild card matching (`*`, `?`), case-insensitive as most archives do for names. */
function matchesWildcard(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${escaped}$`, 'i').test(value);
}

function matchesQuery(study: Study, query: QueryKeys): boolean {
  for (const [key, raw] of Object.entries(query)) {
    const wanted = Array.isArray(raw) ? raw.join('\\') : String(raw);
    if (wanted === '') continue;
    switch (key) {
      case 'PatientName':
      case 'StudyDescription':
      case 'PatientID':
      case 'AccessionNumber':
      case 'StudyInstanceUID':
        if (!matchesWildcard(wanted, study[key])) return false;
        break;
      case 'ModalitiesInStudy':
        if (!wanted.split('\\').some((modality) => study.ModalitiesInStudy.includes(modality))) return false;
        break;
      case 'StudyDate': {
        // PS3.4 C.2.2.2.5 range matching.
        const [from = '', to = from] = wanted.includes('-') ? wanted.split('-') : [wanted, wanted];
        const date = study.StudyDate ?? '';
        if ((from && date < from) || (to && date > to)) return false;
        break;
      }
      default:
        throw new PacsError('INVALID_QUERY', `unsupported query key ${key}`, { source: 'fixture' });
    }
  }
  return true;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * A `PacsAdapter` that answers from DICOM JSON recorded from real DICOM files (python3-pydicom's
 * CT_small and MR_small; see scripts/record-fixtures.mjs), with knobs for latency, empty results,
 * errors and long lists. For stories and tests; no server needed.
 */
export function createFixtureAdapter(options: FixtureAdapterOptions = {}): FixtureAdapter {
  const id = options.id ?? 'fixture';
  const mode = options.mode ?? 'data';
  const sources = options.sources && options.sources.length > 0 ? options.sources : [id];
  let fixtures =
    mode === 'empty' ? [] : buildStudies(options.studyCount ?? recordedInstances.length, sources);
  let callCount = 0;
  const thumbnails = new Map(
    recordedInstances.map((recorded) => [recorded.name, decodeBase64(recorded.thumbnailPng)]),
  );
  // Synthetic studies share the recorded file of their kind (its UIDs are the recorded ones).
  const part10 = new Map(recordedInstances.map((recorded) => [recorded.name, decodeBase64(recorded.part10)]));

  const viewOf = (fixture: FixtureStudy) => studyOf([fixture.instance], 1, fixture.sourceId);
  let studies = fixtures.map(viewOf);

  async function answer<T>(signal: AbortSignal | undefined, produce: () => T): Promise<T> {
    callCount++;
    if (mode === 'loading') return new Promise<T>(() => {});
    if (options.latencyMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, options.latencyMs);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new PacsError('ABORTED', undefined, { source: id }));
        });
      });
    }
    if (signal?.aborted) throw new PacsError('ABORTED', undefined, { source: id });
    if (mode === 'error') {
      const code = options.errorCode ?? 'UNAVAILABLE';
      throw new PacsError(code, `fixture source fails with ${code}`, { source: id });
    }
    return produce();
  }

  function findFixture(studyInstanceUID: string): FixtureStudy {
    const fixture = fixtures.find(
      (candidate) => stringOf(candidate.instance, tags.StudyInstanceUID) === studyInstanceUID,
    );
    if (!fixture) throw new PacsError('NOT_FOUND', 'study not found', { source: id });
    return fixture;
  }

  function thumbnailOf(studyInstanceUID: string): RenderedImage {
    const fixture = findFixture(studyInstanceUID);
    return { contentType: 'image/png', data: thumbnails.get(fixture.name)! };
  }

  const capabilities: AdapterCapabilities = {
    searchForStudies: true,
    searchForSeries: true,
    searchForInstances: true,
    retrieveMetadata: true,
    retrieveInstance: true,
    retrieveInstanceFrames: false,
    retrieveRendered: true,
    retrieveThumbnail: true,
    storeInstances: false,
    deleteStudy: true,
    fuzzyMatching: false,
    wadoRsImageIds: false,
    wadoUriImageIds: options.imageBaseUrl !== undefined,
  };

  const adapter: FixtureAdapter = {
    id,
    capabilities,
    get studies() {
      return studies;
    },
    get callCount() {
      return callCount;
    },
    searchForStudies: (search = {}) =>
      answer(search.signal, (): SearchResult<Study> => {
        const matching = studies.filter((study) => matchesQuery(study, search.query ?? {}));
        const offset = search.offset ?? 0;
        const items = matching.slice(offset, search.limit === undefined ? undefined : offset + search.limit);
        return { items, errors: [] };
      }),
    searchForSeries: (search = {}) =>
      answer(search.signal, (): SearchResult<Series> => {
        const selected = search.studyInstanceUID ? [findFixture(search.studyInstanceUID)] : fixtures;
        return {
          items: selected.map((fixture) => seriesOf([fixture.instance], fixture.sourceId)),
          errors: [],
        };
      }),
    searchForInstances: (search = {}) =>
      answer(search.signal, (): SearchResult<Instance> => {
        const selected = search.studyInstanceUID ? [findFixture(search.studyInstanceUID)] : fixtures;
        const items = selected
          .filter((fixture) =>
            search.seriesInstanceUID
              ? stringOf(fixture.instance, tags.SeriesInstanceUID) === search.seriesInstanceUID
              : true,
          )
          .map((fixture) => instanceOf(fixture.instance, fixture.sourceId));
        return { items, errors: [] };
      }),
    retrieveStudyMetadata: (request) =>
      answer(request.signal, () => [findFixture(request.studyInstanceUID).instance]),
    retrieveSeriesMetadata: (request) =>
      answer(request.signal, () => [findFixture(request.studyInstanceUID).instance]),
    retrieveInstanceMetadata: (request) =>
      answer(request.signal, () => findFixture(request.studyInstanceUID).instance),
    retrieveInstance: (request) =>
      answer(request.signal, () => part10.get(findFixture(request.studyInstanceUID).name)!),
    retrieveInstanceFrames: (request) =>
      answer(request.signal, () => {
        throw new PacsError('NOT_SUPPORTED', 'the fixture adapter keeps no pixel data', { source: id });
      }),
    retrieveRendered: (request) => answer(request.signal, () => thumbnailOf(request.studyInstanceUID)),
    retrieveThumbnail: (request) => answer(request.signal, () => thumbnailOf(request.studyInstanceUID)),
    storeInstances: (request) =>
      answer(request.signal, () => {
        throw new PacsError('NOT_SUPPORTED', 'the fixture adapter is read-only', { source: id });
      }),
    deleteStudy: (request) =>
      answer(request.signal, () => {
        findFixture(request.studyInstanceUID);
        fixtures = fixtures.filter(
          (fixture) => stringOf(fixture.instance, tags.StudyInstanceUID) !== request.studyInstanceUID,
        );
        studies = fixtures.map(viewOf);
      }),
    echo: (request = {}) =>
      answer(request.signal, () => ({ ok: true as const, latencyMs: options.latencyMs ?? 0 })),
  };
  if (options.sources) {
    // Federated mode, shaped like the SDK's FederatedClient: the first source reports itself down
    // (circuit open, last error UNAVAILABLE), so the panel shows both states.
    const statistics = (): SourceStatistics[] =>
      sources.map(
        (sourceId, index): SourceStatistics =>
          index === 0 && sources.length > 1
            ? {
                sourceId,
                circuit: 'open',
                up: false,
                requests: 9,
                failures: 5,
                retries: 4,
                errorsByCode: { UNAVAILABLE: 5 },
                lastErrorCode: 'UNAVAILABLE',
              }
            : {
                sourceId,
                circuit: 'closed',
                up: true,
                requests: 20,
                failures: 0,
                retries: 0,
                errorsByCode: {},
                latencyMeanMs: 12 + index * 7,
              },
      );
    const listeners = new Set<(event: FederationEvent) => void>();
    Object.assign(adapter, { sources: sources.map((sourceId) => ({ id: sourceId, adapter })) });
    adapter.health = (request = {}) =>
      answer(request.signal, (): FederatedHealth => {
        const current = statistics();
        const up = current.filter((source) => source.up).length;
        return { status: up === current.length ? 'up' : up === 0 ? 'down' : 'degraded', sources: current };
      });
    adapter.on = (_event, listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
  }
  if (options.imageBaseUrl !== undefined) {
    const base = options.imageBaseUrl;
    adapter.imageIdsForSeries = ({ series, signal }) =>
      answer(signal, () => [`wadouri:${base}${findFixture(series.StudyInstanceUID).name}.dcm`]);
  }
  return adapter;
}
