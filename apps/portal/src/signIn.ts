import type { AuthOptions } from '@pacskit/sdk';
import type { PortalConfig } from './portalConfig.js';

/** The roles the portal tells apart; everything but `patient` gets the provider panel. */
export type PortalRole = 'radiologist' | 'referrer' | 'technologist' | 'admin' | 'patient';

export interface Session {
  username: string;
  role: PortalRole;
  /** The archive's user id (for the patient's own consent grant). */
  userId?: string;
  /** What the archive lets this user do (`radiology:view`, `radiology:report`, …). */
  permissions: string[];
  /** The bearer token, for the viewer's own image requests; absent for HTTP Basic. */
  token?: string;
  /** How every request to the archive authenticates. */
  auth: AuthOptions;
  /** The `Authorization` header value, for requests the SDK does not make (viewer, downloads). */
  authorization: string;
}

export class SignInError extends Error {}

/** The archive's roles (access/permissions.ts) as the portal groups them. */
function toRole(roles: readonly string[]): PortalRole {
  if (roles.includes('ADMIN')) return 'admin';
  if (roles.includes('RADIOLOGIST')) return 'radiologist';
  if (roles.includes('RADIOLOGY_TECH')) return 'technologist';
  if (roles.includes('REFERRING_PHYSICIAN') || roles.includes('DOCTOR')) return 'referrer';
  return 'patient';
}

/**
 * Exchanges a username and password for a bearer token at the archive's token endpoint. An archive
 * without the workflow API (no `/auth/token`) only knows its admin, over HTTP Basic (RFC 7617).
 */
export async function signIn(config: PortalConfig, username: string, password: string): Promise<Session> {
  const response = await fetch(`${config.apiUrl}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username, password }),
  });
  if (response.status === 404) return signInBasic(config, username, password);
  if (response.status === 401 || response.status === 400)
    throw new SignInError('Wrong username or password.');
  if (!response.ok) throw new SignInError(`The archive answered ${response.status}.`);
  const { access_token: token } = (await response.json()) as { access_token: string };
  const authorization = `Bearer ${token}`;
  // Who we are: roles decide the panel; the subject is `user:<id>`.
  const me = await fetch(`${config.apiUrl}/me`, {
    headers: { Authorization: authorization, Accept: 'application/json' },
  });
  if (!me.ok) throw new SignInError(`The archive answered ${me.status} for /me.`);
  const { roles, subject, permissions } = (await me.json()) as {
    roles: string[];
    subject: string;
    permissions: string[];
  };
  return {
    username,
    role: toRole(roles),
    permissions,
    token,
    ...(subject.startsWith('user:') ? { userId: subject.slice('user:'.length) } : {}),
    auth: { type: 'bearer', token },
    authorization,
  };
}

async function signInBasic(config: PortalConfig, username: string, password: string): Promise<Session> {
  const authorization = `Basic ${btoa(`${username}:${password}`)}`;
  const probe = await fetch(`${config.dicomwebUrl}/studies?limit=1`, {
    headers: { Authorization: authorization, Accept: 'application/dicom+json' },
    // No browser credentials: a 401 with `WWW-Authenticate: Basic` must not open the browser's
    // own login dialog.
    credentials: 'omit',
  });
  if (probe.status === 401 || probe.status === 403) throw new SignInError('Wrong username or password.');
  if (!probe.ok) throw new SignInError(`The archive answered ${probe.status}.`);
  return {
    username,
    role: 'admin',
    permissions: ['radiology:manage'],
    auth: { type: 'basic', username, password },
    authorization,
  };
}
