import { PacsError } from '@pacskit/dicom';
import { base64EncodeText } from '../internal/base64.js';
import type { Clock } from '../runtime.js';

/** A token with an optional expiry (epoch milliseconds on the injected clock). */
export interface AccessToken {
  token: string;
  expiresAt?: number;
}

export interface TokenRequest {
  signal?: AbortSignal;
  /** True when the server rejected the previous token (401): the provider must not return a cached one. */
  forceRefresh: boolean;
}

/**
 * How an adapter authenticates. One of:
 * - `bearer` with a fixed `token`, or a `getToken` provider (called again before `expiresAt`,
 *   `refreshMarginMs` early, and once more after a 401);
 * - `basic` (RFC 7617);
 * - `apiKey` sent in a header (default `X-API-Key`);
 * - `headers`: custom headers, fixed or computed per request.
 */
export type AuthOptions =
  | { type: 'bearer'; token: string }
  | {
      type: 'bearer';
      getToken: (request: TokenRequest) => Promise<string | AccessToken>;
      /** Refresh this long before expiry (default 30 s). */
      refreshMarginMs?: number;
    }
  | { type: 'basic'; username: string; password: string }
  | { type: 'apiKey'; key: string; header?: string }
  | {
      type: 'headers';
      headers: Record<string, string> | ((request: TokenRequest) => Promise<Record<string, string>>);
    };

export interface AuthHeaderProvider {
  headers(request: TokenRequest): Promise<Record<string, string>>;
  /** Whether a 401 may be cured by asking again with `forceRefresh` (token providers only). */
  readonly canRefresh: boolean;
}

/** Builds the per-request header provider for `auth`, caching tokens until shortly before expiry. */
export function createAuthHeaderProvider(
  auth: AuthOptions | undefined,
  clock: Clock,
  source: string,
): AuthHeaderProvider {
  if (auth === undefined) return { headers: async () => ({}), canRefresh: false };
  switch (auth.type) {
    case 'bearer': {
      if ('token' in auth) {
        const value = { Authorization: `Bearer ${auth.token}` };
        return { headers: async () => value, canRefresh: false };
      }
      const margin = auth.refreshMarginMs ?? 30_000;
      let cached: AccessToken | undefined;
      let pending: Promise<AccessToken> | undefined;
      const fetchToken = async (request: TokenRequest): Promise<AccessToken> => {
        try {
          const answer = await auth.getToken(request);
          return typeof answer === 'string' ? { token: answer } : answer;
        } catch (cause) {
          throw new PacsError('UNAUTHENTICATED', 'the token provider failed', { source, cause });
        }
      };
      return {
        canRefresh: true,
        headers: async (request) => {
          const fresh =
            cached !== undefined &&
            !request.forceRefresh &&
            (cached.expiresAt === undefined || cached.expiresAt - margin > clock.now());
          if (!fresh) {
            // One refresh in flight at a time, so that a burst of requests asks the provider once.
            pending ??= fetchToken(request).finally(() => {
              pending = undefined;
            });
            cached = await pending;
          }
          return { Authorization: `Bearer ${cached!.token}` };
        },
      };
    }
    case 'basic': {
      const value = { Authorization: `Basic ${base64EncodeText(`${auth.username}:${auth.password}`)}` };
      return { headers: async () => value, canRefresh: false };
    }
    case 'apiKey': {
      const value = { [auth.header ?? 'X-API-Key']: auth.key };
      return { headers: async () => value, canRefresh: false };
    }
    case 'headers': {
      const given = auth.headers;
      if (typeof given === 'function') return { headers: (request) => given(request), canRefresh: true };
      return { headers: async () => given, canRefresh: false };
    }
    default:
      return auth satisfies never;
  }
}
