import { PacsError, isPacsError } from '@pacskit/dicom';
import type {
  AdapterCapabilities,
  EchoResult,
  Instance,
  PacsAdapter,
  RequestOptions,
  SearchOptions,
  SearchResult,
  Series,
  SourceError,
  Study,
} from '../pacsAdapter.js';
import { defaultClock, defaultTimers } from '../runtime.js';
import type { Clock, Timers } from '../runtime.js';
import { createCircuitBreaker } from './circuitBreaker.js';
import type { CircuitBreakerOptions, CircuitState } from './circuitBreaker.js';
import { createConcurrencyLimiter } from './concurrencyLimiter.js';
import { asPacsError, createSourceCaller } from './sourceCaller.js';
import type { SourceRuntime } from './sourceCaller.js';
import { isTransient } from './retryPolicy.js';
import type { RetryOptions } from './retryPolicy.js';
import { createStatisticsRecorder } from './sourceStatistics.js';
import type { SourceStatistics } from './sourceStatistics.js';

export interface FederatedSource {
  /** Unique id; it names the source in `Study.sources`, errors, statistics and events. */
  id: string;
  adapter: PacsAdapter;
  /** Higher is preferred when several sources hold a study (default 0). */
  priority?: number;
  /** This source mirrors another: it is asked only when that one fails or its circuit is open. */
  backupOf?: string;
}

export interface FederatedClientOptions {
  /** The client's own id as a PacsAdapter (default `federated`). */
  id?: string;
  sources: readonly FederatedSource[];
  clock?: Clock;
  timers?: Timers;
  /** Random numbers in [0, 1) for backoff jitter (default Math.random). */
  random?: () => number;
  /** Retries of idempotent calls on transient failures (store is never retried). */
  retry?: RetryOptions;
  /** Deadline of each attempt on a source, in ms (default 10 s). */
  timeoutMs?: number;
  circuitBreaker?: CircuitBreakerOptions;
  /** Most source calls in flight at once across the client (default 8). */
  maxConcurrency?: number;
  /** Where `storeInstances` goes (default: the preferred healthy primary that can store). */
  storeTo?: string;
  /** How many studies' locations (which sources hold them) are remembered (default 10,000). */
  locationCacheSize?: number;
}

export type FederationEventName = 'sourceDown' | 'sourceUp';

export interface FederationEvent {
  sourceId: string;
  circuit: CircuitState;
}

export interface FederatedHealth {
  /** `up`: every source up; `degraded`: some; `down`: none. */
  status: 'up' | 'degraded' | 'down';
  sources: SourceStatistics[];
}

export interface FederatedClient extends PacsAdapter {
  readonly sources: readonly FederatedSource[];
  /** Per-source health; with `probe: true`, echoes every source first. */
  health(options?: { probe?: boolean; signal?: AbortSignal }): Promise<FederatedHealth>;
  /** Per-source statistics without probing. */
  statistics(): SourceStatistics[];
  /** Subscribes to source status changes; returns the unsubscribe function. */
  on(event: FederationEventName, listener: (event: FederationEvent) => void): () => void;
}

/**
 * One PacsAdapter over many archives: searches fan out to every primary source (a failing
 * primary is replaced by its backup), results merge by UID keeping which sources hold them,
 * sort and paginate, and come back partial with per-source errors rather than failing whole.
 * Retrievals go to the best source holding the study and fail over to the next. Every source
 * call gets a deadline, retries with jittered exponential backoff when idempotent, a circuit
 * breaker, the caller's AbortSignal and a slot under the concurrency limit.
 */
export function createFederatedClient(options: FederatedClientOptions): FederatedClient {
  const id = options.id ?? 'federated';
  const clock = options.clock ?? defaultClock;
  const timers = options.timers ?? defaultTimers;
  const random = options.random ?? Math.random;
  const retry = options.retry ?? {};
  const timeoutMs = options.timeoutMs ?? 10_000;
  const limiter = createConcurrencyLimiter(options.maxConcurrency ?? 8);
  const listeners: Record<FederationEventName, Set<(event: FederationEvent) => void>> = {
    sourceDown: new Set(),
    sourceUp: new Set(),
  };
  const emit = (name: FederationEventName, event: FederationEvent) => {
    for (const listener of listeners[name]) {
      try {
        listener(event);
      } catch {
        // A UI listener's bug must not break retrieval.
      }
    }
  };

  const ids = new Set<string>();
  const runtimes = new Map<string, SourceRuntime>();
  for (const source of options.sources) {
    if (ids.has(source.id))
      throw new PacsError('INVALID_ARGUMENT', `duplicate source id ${source.id}`, { source: id });
    ids.add(source.id);
    let previous: CircuitState = 'closed';
    const breaker = createCircuitBreaker(source.id, clock, options.circuitBreaker, (state) => {
      if (state === 'open' && previous !== 'open')
        emit('sourceDown', { sourceId: source.id, circuit: state });
      if (state === 'closed' && previous !== 'closed')
        emit('sourceUp', { sourceId: source.id, circuit: state });
      previous = state;
    });
    runtimes.set(source.id, { source, breaker, statistics: createStatisticsRecorder(source.id) });
  }
  for (const source of options.sources) {
    if (source.backupOf !== undefined && !ids.has(source.backupOf)) {
      throw new PacsError('INVALID_ARGUMENT', `${source.id} backs up unknown source ${source.backupOf}`, {
        source: id,
      });
    }
  }
  const all = [...runtimes.values()];
  const byPriority = (a: SourceRuntime, b: SourceRuntime) =>
    (b.source.priority ?? 0) - (a.source.priority ?? 0);
  const primaries = all.filter((runtime) => runtime.source.backupOf === undefined).sort(byPriority);
  const backupsOf = (sourceId: string) =>
    all.filter((runtime) => runtime.source.backupOf === sourceId).sort(byPriority);
  /** StudyInstanceUID → ids of the sources known to hold it (learned from searches). */
  const locations = new Map<string, Set<string>>();
  const remember = (studyInstanceUID: string, sourceId: string) => {
    if (!studyInstanceUID) return;
    const known = locations.get(studyInstanceUID) ?? new Set<string>();
    known.add(sourceId);
    // Re-inserting keeps the map in recency order; the oldest entries go beyond the cap, so a
    // long-running portal does not grow without bound (a forgotten study is found again by search).
    locations.delete(studyInstanceUID);
    locations.set(studyInstanceUID, known);
    if (locations.size > (options.locationCacheSize ?? 10_000)) {
      locations.delete(locations.keys().next().value as string);
    }
  };

  const call = createSourceCaller({ clock, timers, random, retry, timeoutMs, limiter });

  /** A call on a primary, falling over to its backups when it fails transiently or its circuit is open. */
  const withFailover = async <T>(
    primary: SourceRuntime,
    operation: (adapter: PacsAdapter, signal: AbortSignal) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<{ value: T; servedBy: SourceRuntime }> => {
    try {
      return { value: await call(primary, operation, true, signal), servedBy: primary };
    } catch (primaryError) {
      const canFailOver =
        isPacsError(primaryError) &&
        (isTransient(primaryError) ||
          primaryError.code === 'CIRCUIT_OPEN' ||
          primaryError.code === 'BAD_RESPONSE');
      if (!canFailOver) throw primaryError;
      for (const backup of backupsOf(primary.source.id)) {
        try {
          return { value: await call(backup, operation, true, signal), servedBy: backup };
        } catch {
          // Try the next backup; the primary's error is the one reported.
        }
      }
      throw primaryError;
    }
  };

  const fanOut = async <T extends { sources: string[] }>(
    search: SearchOptions,
    capability: 'searchForStudies' | 'searchForSeries' | 'searchForInstances',
    run: (adapter: PacsAdapter, searchOptions: SearchOptions) => Promise<SearchResult<T>>,
    key: (item: T) => string,
    studyOf: (item: T) => string,
    compare: (a: T, b: T) => number,
  ): Promise<SearchResult<T>> => {
    const offset = search.offset ?? 0;
    // Each source is asked for everything up to the end of the requested page, from its start.
    const perSource: SearchOptions = {
      ...search,
      offset: 0,
      ...(search.limit === undefined ? {} : { limit: offset + search.limit }),
    };
    delete perSource.signal;
    // Sources that cannot search at this level are left out, not reported as failing.
    const searchable = primaries.filter((runtime) => runtime.source.adapter.capabilities[capability]);
    if (searchable.length === 0) {
      throw new PacsError('NOT_SUPPORTED', `no source supports ${capability}`, { source: id });
    }
    const outcomes = await Promise.all(
      searchable.map(async (primary) => {
        try {
          const { value, servedBy } = await withFailover(
            primary,
            (adapter, signal) => run(adapter, { ...perSource, signal }),
            search.signal,
          );
          return { items: value.items, servedBy, error: undefined };
        } catch (error) {
          return { items: [] as T[], servedBy: primary, error: asPacsError(error, primary.source.id) };
        }
      }),
    );
    if (search.signal?.aborted)
      throw new PacsError('ABORTED', 'the caller aborted the request', { source: id });
    const errors: SourceError[] = outcomes
      .filter((outcome) => outcome.error !== undefined)
      .map(({ error, servedBy }) => ({
        sourceId: servedBy.source.id,
        code: error!.code,
        message: error!.message,
        ...(error!.httpStatus === undefined ? {} : { httpStatus: error!.httpStatus }),
      }));
    if (errors.length === outcomes.length && outcomes.length > 0) {
      throw new PacsError('UNAVAILABLE', 'no source answered the search', {
        source: id,
        details: { errors },
      });
    }
    const merged = new Map<string, T>();
    for (const outcome of outcomes) {
      for (const item of outcome.items) {
        const sourceId = outcome.servedBy.source.id;
        remember(studyOf(item), sourceId);
        const existing = merged.get(key(item));
        if (existing) {
          if (!existing.sources.includes(sourceId)) existing.sources.push(sourceId);
        } else {
          merged.set(key(item), { ...item, sources: [sourceId] });
        }
      }
    }
    const items = [...merged.values()].sort(compare);
    return {
      items: items.slice(offset, search.limit === undefined ? undefined : offset + search.limit),
      errors,
    };
  };

  const searchForStudies = (search: SearchOptions = {}) =>
    fanOut<Study>(
      search,
      'searchForStudies',
      (adapter, searchOptions) => adapter.searchForStudies(searchOptions),
      (study) => study.StudyInstanceUID,
      (study) => study.StudyInstanceUID,
      (a, b) =>
        (b.StudyDate ?? '').localeCompare(a.StudyDate ?? '') ||
        (b.StudyTime ?? '').localeCompare(a.StudyTime ?? '') ||
        a.StudyInstanceUID.localeCompare(b.StudyInstanceUID),
    );

  /** The sources to ask for a study, best first: known holders by circuit, priority and latency, then their backups. */
  const candidatesFor = async (
    studyInstanceUID: string,
    signal: AbortSignal | undefined,
  ): Promise<SourceRuntime[]> => {
    if (!locations.has(studyInstanceUID)) {
      await searchForStudies({
        query: { StudyInstanceUID: studyInstanceUID },
        ...(signal ? { signal } : {}),
      }).catch(() => undefined);
    }
    const holders = [...(locations.get(studyInstanceUID) ?? [])]
      .map((sourceId) => runtimes.get(sourceId)!)
      .sort((a, b) => {
        const rank = (runtime: SourceRuntime) => ({ closed: 0, halfOpen: 1, open: 2 })[runtime.breaker.state];
        return (
          rank(a) - rank(b) ||
          byPriority(a, b) ||
          (a.statistics.latencyMeanMs ?? Number.POSITIVE_INFINITY) -
            (b.statistics.latencyMeanMs ?? Number.POSITIVE_INFINITY)
        );
      });
    const ordered = [...holders];
    for (const holder of holders) {
      const primaryId = holder.source.backupOf ?? holder.source.id;
      for (const related of [runtimes.get(primaryId)!, ...backupsOf(primaryId)]) {
        if (!ordered.includes(related)) ordered.push(related);
      }
    }
    return ordered;
  };

  /** Runs a retrieval on the best source holding the study, then the next ones. */
  const retrieve = async <T>(
    studyInstanceUID: string,
    signal: AbortSignal | undefined,
    capability: keyof AdapterCapabilities,
    operation: (adapter: PacsAdapter, signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    // Holders that cannot do this (Dicoogle has no frames) are passed over for the next best.
    const candidates = (await candidatesFor(studyInstanceUID, signal)).filter(
      (runtime) => runtime.source.adapter.capabilities[capability],
    );
    let firstError: PacsError | undefined;
    for (const candidate of candidates) {
      try {
        return await call(candidate, operation, true, signal);
      } catch (caught) {
        const error = asPacsError(caught, candidate.source.id);
        if (error.code === 'ABORTED' && signal?.aborted) throw error;
        if (error.code === 'INVALID_ARGUMENT') throw error;
        if (!firstError || (firstError.code === 'NOT_FOUND' && error.code !== 'NOT_FOUND'))
          firstError = error;
      }
    }
    if (firstError) throw firstError;
    if (candidates.length === 0 && locations.has(studyInstanceUID)) {
      throw new PacsError('NOT_SUPPORTED', `no source holding this study supports ${capability}`, {
        source: id,
      });
    }
    throw new PacsError('NOT_FOUND', 'no source holds this study', { source: id });
  };

  const capabilities = Object.fromEntries(
    Object.keys(all[0]?.source.adapter.capabilities ?? {}).map((capability) => [
      capability,
      all.some((runtime) => runtime.source.adapter.capabilities[capability as keyof AdapterCapabilities]),
    ]),
  ) as unknown as AdapterCapabilities;

  const statistics = () => all.map((runtime) => runtime.statistics.snapshot(runtime.breaker.state));

  const echo = async (request: RequestOptions = {}): Promise<EchoResult> => {
    const results = await Promise.allSettled(
      all.map((runtime) =>
        call(runtime, (adapter, signal) => adapter.echo({ signal }), true, request.signal),
      ),
    );
    const latencies = results.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value.latencyMs] : [],
    );
    if (latencies.length === 0) {
      if (request.signal?.aborted)
        throw new PacsError('ABORTED', 'the caller aborted the request', { source: id });
      throw new PacsError('UNAVAILABLE', 'no source answered', { source: id });
    }
    return { ok: true, latencyMs: Math.min(...latencies) };
  };

  return {
    id,
    capabilities,
    sources: options.sources,

    searchForStudies,

    searchForSeries: (search = {}) =>
      fanOut<Series>(
        search,
        'searchForSeries',
        (adapter, searchOptions) => adapter.searchForSeries(searchOptions),
        (series) => series.SeriesInstanceUID,
        (series) => series.StudyInstanceUID,
        (a, b) =>
          (a.SeriesNumber ?? 0) - (b.SeriesNumber ?? 0) ||
          a.SeriesInstanceUID.localeCompare(b.SeriesInstanceUID),
      ),

    searchForInstances: (search = {}) =>
      fanOut<Instance>(
        search,
        'searchForInstances',
        (adapter, searchOptions) => adapter.searchForInstances(searchOptions),
        (instance) => instance.SOPInstanceUID,
        (instance) => instance.StudyInstanceUID,
        (a, b) =>
          (a.InstanceNumber ?? 0) - (b.InstanceNumber ?? 0) ||
          a.SOPInstanceUID.localeCompare(b.SOPInstanceUID),
      ),

    retrieveStudyMetadata: (request) =>
      retrieve(request.studyInstanceUID, request.signal, 'retrieveMetadata', (adapter, signal) =>
        adapter.retrieveStudyMetadata({ ...request, signal }),
      ),
    retrieveSeriesMetadata: (request) =>
      retrieve(request.studyInstanceUID, request.signal, 'retrieveMetadata', (adapter, signal) =>
        adapter.retrieveSeriesMetadata({ ...request, signal }),
      ),
    retrieveInstanceMetadata: (request) =>
      retrieve(request.studyInstanceUID, request.signal, 'retrieveMetadata', (adapter, signal) =>
        adapter.retrieveInstanceMetadata({ ...request, signal }),
      ),
    retrieveInstance: (request) =>
      retrieve(request.studyInstanceUID, request.signal, 'retrieveInstance', (adapter, signal) =>
        adapter.retrieveInstance({ ...request, signal }),
      ),
    retrieveInstanceFrames: (request) =>
      retrieve(request.studyInstanceUID, request.signal, 'retrieveInstanceFrames', (adapter, signal) =>
        adapter.retrieveInstanceFrames({ ...request, signal }),
      ),
    retrieveRendered: (request) =>
      retrieve(request.studyInstanceUID, request.signal, 'retrieveRendered', (adapter, signal) =>
        adapter.retrieveRendered({ ...request, signal }),
      ),
    retrieveThumbnail: (request) =>
      retrieve(request.studyInstanceUID, request.signal, 'retrieveThumbnail', (adapter, signal) =>
        adapter.retrieveThumbnail({ ...request, signal }),
      ),

    async storeInstances(request) {
      const target =
        options.storeTo !== undefined
          ? runtimes.get(options.storeTo)
          : primaries.find(
              (runtime) =>
                runtime.source.adapter.capabilities.storeInstances && runtime.breaker.state !== 'open',
            );
      if (!target) throw new PacsError('NOT_SUPPORTED', 'no source can store instances now', { source: id });
      // STOW-RS is not idempotent from the client's view (a lost answer may hide a stored copy): no retry.
      return call(
        target,
        (adapter, signal) => adapter.storeInstances({ ...request, signal }),
        false,
        request.signal,
      );
    },

    async deleteStudy(request) {
      const holders = (await candidatesFor(request.studyInstanceUID, request.signal)).filter(
        (runtime) =>
          runtime.source.adapter.capabilities.deleteStudy &&
          locations.get(request.studyInstanceUID)?.has(runtime.source.id),
      );
      if (holders.length === 0)
        throw new PacsError('NOT_SUPPORTED', 'no source holding the study can delete it', { source: id });
      for (const holder of holders) {
        await call(
          holder,
          (adapter, signal) => adapter.deleteStudy({ ...request, signal }),
          true,
          request.signal,
        );
      }
      locations.delete(request.studyInstanceUID);
    },

    echo,

    async health(request = {}) {
      if (request.probe) await echo(request.signal ? { signal: request.signal } : {}).catch(() => undefined);
      const sources = statistics();
      const up = sources.filter((source) => source.up).length;
      return { status: up === sources.length ? 'up' : up === 0 ? 'down' : 'degraded', sources };
    },

    statistics,

    on(event, listener) {
      listeners[event].add(listener);
      return () => listeners[event].delete(listener);
    },
  };
}
