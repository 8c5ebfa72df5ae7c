import type { Role } from './permissions.js';

/** An external OpenID Connect issuer whose ID/access tokens we accept (a portal's own login). */
export interface OidcIssuerConfig {
  /** Exact `iss` value. */
  issuer: string;
  /** Expected `aud`. */
  audience: string;
  /** The issuer's JWKS URL (from its discovery document, `jwks_uri`). */
  jwksUri: string;
  /** Claim holding role names, dotted for nested claims (Keycloak: `realm_access.roles`). Default `roles`. */
  rolesClaim?: string;
  /** Issuer role name → our role. Unmapped names are ignored. */
  roleMap: Record<string, Role>;
  /** Claim holding the PatientID(s) of a patient user (string or array). */
  patientIdClaim?: string;
  /** Accepted signature algorithms (default RS256, ES256, PS256). */
  algorithms?: string[];
}

export interface AccessConfig {
  /** HMAC key for our own JWTs (HS256), at least 32 bytes. */
  jwtSecret: Uint8Array;
  /** `iss` of our tokens (default "pacskit"). */
  issuer?: string;
  /** `aud` of our tokens (default "pacskit-api"). */
  audience?: string;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** Share links may not live longer than this (default 30 days). */
  maxShareLinkTtlSeconds?: number;
  oidc?: OidcIssuerConfig[];
  /** scrypt cost as log2(N) for new password hashes (default 15 = 32 MiB; tests use 10). */
  passwordHashCost?: number;
  /** Accept HTTP Basic (legacy DICOMweb clients). Default true. */
  allowBasic?: boolean;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
