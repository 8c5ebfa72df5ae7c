import { PacsError, isPacsError, isPacsErrorCode } from '@pacskit/dicom';
import type { PacsErrorCode } from '@pacskit/dicom';
import { createAuthHeaderProvider } from '../auth/authOptions.js';
import type { AuthOptions } from '../auth/authOptions.js';
import { defaultClock, defaultFetch, defaultTimers } from '../runtime.js';
import type { Clock, FetchLike, Timers } from '../runtime.js';
import { errorForStatus } from './errorForStatus.js';

export interface HttpTransportOptions {
  /** Root URL of the service, e.g. `https://pacs.example.org/dicom-web`. */
  baseUrl: string;
  /** The adapter id, carried by every error. */
  source: string;
  fetch?: FetchLike;
  auth?: AuthOptions;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Per-request deadline covering the whole answer, body included (default 30 s; 0 = none). */
  timeoutMs?: number;
  timers?: Timers;
  clock?: Clock;
}

/**
 * A query parameter: a list is one comma-separated value (QIDO-RS, PS3.18 8.3.4.1);
 * `{ repeated: [...] }` sends the parameter once per value (`field=a&field=b`, as servlets read
 * `getParameterValues`).
 */
export type QueryValue =
  | string
  | number
  | boolean
  | readonly (string | number)[]
  | { readonly repeated: readonly (string | number)[] }
  | undefined;

export interface HttpRequest {
  /** Path below `baseUrl` (starting with `/`), or an absolute URL. */
  path: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  accept?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Statuses that are answers, not errors (e.g. STOW-RS 409 with a failure data set). */
  acceptStatuses?: readonly number[];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The Content-Type header, or '' when absent. */
  contentType: string;
  body: Uint8Array;
}

export interface HttpTransport {
  readonly source: string;
  readonly baseUrl: string;
  request(request: HttpRequest): Promise<HttpResponse>;
  /** GET/POST and parse a JSON answer; a 204 or empty body gives `undefined`. */
  json(request: HttpRequest): Promise<unknown>;
  url(path: string, query?: Record<string, QueryValue>): string;
}

/**
 * fetch with the SDK's guarantees: auth headers (one retry with a refreshed token after 401),
 * a deadline for the whole answer that holds even when an injected fetch ignores its signal
 * (a hanging source), caller cancellation, and a `PacsError` for every failure.
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const fetchImpl = options.fetch ?? defaultFetch();
  const timers = options.timers ?? defaultTimers;
  const clock = options.clock ?? defaultClock;
  const source = options.source;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const auth = createAuthHeaderProvider(options.auth, clock, source);
  const defaultTimeout = options.timeoutMs ?? 30_000;

  const url = (path: string, query?: Record<string, QueryValue>): string => {
    const base = /^https?:\/\//i.test(path) ? path : `${baseUrl}${path}`;
    const search = encodeQuery(query);
    if (search === '') return base;
    return `${base}${base.includes('?') ? '&' : '?'}${search}`;
  };

  const once = async (request: HttpRequest, forceRefresh: boolean): Promise<HttpResponse> => {
    const method = request.method ?? 'GET';
    const pathForErrors = request.path.split('?')[0]!;
    const timeoutMs = request.timeoutMs ?? defaultTimeout;
    if (request.signal?.aborted) throw abortedError(request.signal, source);
    const controller = new AbortController();
    let failure: PacsError | undefined;
    let rejectDeadline: (error: PacsError) => void = () => {};
    const deadline = new Promise<never>((_, reject) => {
      rejectDeadline = reject;
    });
    deadline.catch(() => {});
    const stop = (error: PacsError) => {
      failure ??= error;
      controller.abort(error);
      rejectDeadline(error);
    };
    const onAbort = () => stop(abortedError(request.signal!, source));
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      timeoutMs > 0
        ? timers.setTimeout(
            () =>
              stop(
                new PacsError('TIMEOUT', `${method} ${pathForErrors} took longer than ${timeoutMs} ms`, {
                  source,
                }),
              ),
            timeoutMs,
          )
        : undefined;
    try {
      const headers: Record<string, string> = {
        ...options.headers,
        ...(await Promise.race([auth.headers({ signal: controller.signal, forceRefresh }), deadline])),
        ...request.headers,
      };
      if (request.accept !== undefined) headers.Accept = request.accept;
      const init: RequestInit = { method, headers, signal: controller.signal };
      if (request.body !== undefined) init.body = request.body as BodyInit;
      let response: Response;
      try {
        response = await Promise.race([fetchImpl(url(request.path, request.query), init), deadline]);
      } catch (cause) {
        if (failure) throw failure;
        if (isPacsError(cause)) throw cause;
        throw new PacsError('NETWORK_ERROR', `${method} ${pathForErrors} failed before an answer`, {
          source,
          cause,
        });
      }
      let body: Uint8Array;
      try {
        body = new Uint8Array(await Promise.race([response.arrayBuffer(), deadline]));
      } catch (cause) {
        if (failure) throw failure;
        throw new PacsError('NETWORK_ERROR', `${method} ${pathForErrors}: the answer broke off`, {
          source,
          httpStatus: response.status,
          cause,
        });
      }
      const answer: HttpResponse = {
        status: response.status,
        headers: response.headers,
        contentType: response.headers.get('content-type') ?? '',
        body,
      };
      if (
        (response.status >= 200 && response.status < 300) ||
        request.acceptStatuses?.includes(response.status)
      ) {
        return answer;
      }
      const remote = remoteError(answer);
      const retryAfterMs = retryAfter(response.headers.get('retry-after'), clock.now());
      const details = retryAfterMs === undefined ? remote.details : { ...remote.details, retryAfterMs };
      throw errorForStatus(response.status, method, pathForErrors, source, details, remote.code);
    } finally {
      if (timer !== undefined) timers.clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
  };

  const request = async (request: HttpRequest): Promise<HttpResponse> => {
    try {
      return await once(request, false);
    } catch (error) {
      // A token provider may cure a 401 with a fresh token (expired early, revoked, rotated).
      if (auth.canRefresh && isPacsError(error, 'UNAUTHENTICATED') && error.httpStatus === 401) {
        return once(request, true);
      }
      throw error;
    }
  };

  return {
    source,
    baseUrl,
    url,
    request,
    json: async (jsonRequest) => {
      const response = await request({ accept: 'application/json', ...jsonRequest });
      return parseJsonBody(response, source);
    },
  };
}

/** Parses a JSON answer; HTML error pages and malformed JSON become BAD_RESPONSE. */
export function parseJsonBody(response: HttpResponse, source: string): unknown {
  if (response.status === 204 || response.body.length === 0) return undefined;
  const text = new TextDecoder().decode(response.body);
  if (/^\s*</.test(text) || /text\/html/i.test(response.contentType)) {
    throw new PacsError('BAD_RESPONSE', 'expected JSON, got an HTML page', {
      source,
      httpStatus: response.status,
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new PacsError('BAD_RESPONSE', 'malformed JSON in the answer', {
      source,
      httpStatus: response.status,
      cause,
    });
  }
}

function abortedError(signal: AbortSignal, source: string): PacsError {
  if (isPacsError(signal.reason)) return signal.reason;
  return new PacsError('ABORTED', 'the caller aborted the request', { source, cause: signal.reason });
}

/**
 * What an error answer says about itself, without patient data: a PacsKit server's
 * `{ "error": { "code" } }` gives the exact code (DATASET_MISMATCH rather than a generic
 * CONFLICT); Orthanc's JSON errors give their `OrthancStatus`.
 */
function remoteError(response: HttpResponse): { code?: PacsErrorCode; details?: Record<string, unknown> } {
  if (!/json/i.test(response.contentType)) return {};
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(response.body));
    if (!parsed || typeof parsed !== 'object') return {};
    const error = (parsed as { error?: { code?: unknown } }).error;
    if (error && isPacsErrorCode(error.code))
      return { code: error.code, details: { remoteCode: error.code } };
    if ('OrthancStatus' in parsed)
      return { details: { remoteCode: (parsed as { OrthancStatus: unknown }).OrthancStatus } };
  } catch {
    // An unreadable error body adds nothing; the status says enough.
  }
  return {};
}

/** Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP-date, as milliseconds from now. */
export function retryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (query === undefined) return '';
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === 'object' && 'repeated' in value) {
      for (const item of value.repeated)
        pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`);
      continue;
    }
    // PS3.18 8.3.4.1: a list of UIDs (or values) is one comma-separated value.
    const text = Array.isArray(value) ? value.join(',') : String(value);
    // Commas and slashes stay literal (RFC 3986 allows both in a query): commas separate values
    // (PS3.18 8.3.4), and Orthanc decodes neither %2C nor %2F.
    pairs.push(
      `${encodeURIComponent(name)}=${encodeURIComponent(text).replace(/%2C/gi, ',').replace(/%2F/gi, '/')}`,
    );
  }
  return pairs.join('&');
}
