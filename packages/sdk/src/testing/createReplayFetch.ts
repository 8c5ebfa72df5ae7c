import type { FetchLike } from '../runtime.js';

/**
 * One recorded exchange. Replays stand in for servers that cannot run here (Dicoogle,
 * PostDICOM); each file says in `source` where its shape comes from.
 */
export interface Replay {
  /** Where this answer's shape comes from (documentation page, server source file). */
  source: string;
  request: {
    method?: string;
    /** Path below the base URL, without the query. */
    path: string;
    /**
     * Query parameters that must be present with these values (`*`: any value); a list means a
     * repeated parameter holding at least those values.
     */
    query?: Record<string, string | string[]>;
    /** Headers that must be present with these values; a mismatch answers 401. */
    headers?: Record<string, string>;
  };
  response: {
    status: number;
    headers?: Record<string, string>;
    /** Exactly one of: a JSON body, a text body, base64 bytes, or the name of a file the test supplies. */
    json?: unknown;
    text?: string;
    base64?: string;
    file?: string;
  };
}

export interface ReplayFile {
  /** What the whole file replays and where the shapes come from. */
  description: string;
  replays: Replay[];
}

export interface ReplayFetchOptions {
  baseUrl: string;
  replays: readonly Replay[];
  /** Bodies referenced by `response.file`. */
  files?: Record<string, Uint8Array>;
}

export interface ReplayFetch extends FetchLike {
  /** Every request seen, for assertions (method, path, query, headers). */
  readonly calls: { method: string; path: string; query: URLSearchParams; headers: Headers }[];
}

/**
 * A fetch that answers from replays: first match by method, path and query wins; a request
 * matching a path but not its required headers gets 401; anything else gets the HTML 404 page
 * a servlet container would send.
 */
export function createReplayFetch(options: ReplayFetchOptions): ReplayFetch {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const calls: ReplayFetch['calls'] = [];
  const replayFetch = async (input: string, init?: RequestInit): Promise<Response> => {
    if (init?.signal?.aborted) throw init.signal.reason ?? new Error('aborted');
    const url = new URL(input);
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers);
    const path = `/${url.pathname.slice(base.pathname.length)}`;
    calls.push({ method, path, query: url.searchParams, headers });
    let unauthorised = false;
    for (const replay of options.replays) {
      if ((replay.request.method ?? 'GET').toUpperCase() !== method || replay.request.path !== path) continue;
      const queryMatches = Object.entries(replay.request.query ?? {}).every(([name, value]) => {
        if (Array.isArray(value)) return value.every((item) => url.searchParams.getAll(name).includes(item));
        return value === '*' ? url.searchParams.has(name) : url.searchParams.get(name) === value;
      });
      if (!queryMatches) continue;
      const headersMatch = Object.entries(replay.request.headers ?? {}).every(
        ([name, value]) => headers.get(name) === value,
      );
      if (!headersMatch) {
        unauthorised = true;
        continue;
      }
      return answer(replay, options.files ?? {});
    }
    if (unauthorised) return new Response('', { status: 401 });
    return new Response('<html><body><h2>HTTP ERROR 404 Not Found</h2></body></html>', {
      status: 404,
      headers: { 'Content-Type': 'text/html' },
    });
  };
  return Object.assign(replayFetch, { calls });
}

function answer(replay: Replay, files: Record<string, Uint8Array>): Response {
  const { response } = replay;
  let body: BodyInit | null = null;
  const headers = new Headers(response.headers);
  if (response.json !== undefined) {
    body = JSON.stringify(response.json);
    if (!headers.has('content-type')) headers.set('Content-Type', 'application/json');
  } else if (response.text !== undefined) {
    body = response.text;
  } else if (response.base64 !== undefined) {
    body = Uint8Array.from(atob(response.base64), (char) => char.charCodeAt(0));
  } else if (response.file !== undefined) {
    const file = files[response.file];
    if (!file) throw new Error(`replay file ${response.file} was not supplied`);
    body = file as BodyInit;
  }
  return new Response(response.status === 204 ? null : body, { status: response.status, headers });
}
