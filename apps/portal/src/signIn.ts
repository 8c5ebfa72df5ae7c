import type { AuthOptions } from '@pacskit/sdk';
import type { PortalConfig } from './portalConfig.js';

/** The roles the portal tells apart; everything but `patient` gets the provider panel. */
export type PortalRole = 'radiologist' | 'referrer' | 'technologist' | 'admin' | 'patient';

export interface Session {
  username: string;
  role: PortalRole;
  /** How every request to the archive authenticates. */
  auth: AuthOptions;
  /** The `Authorization` header value, for requests the SDK does not make (viewer, downloads). */
  authorization: string;
}

export class SignInError extends Error {}

function toRole(value: unknown): PortalRole {
  const role = String(value ?? '').toLowerCase();
  if (role.includes('patient')) return 'patient';
  if (role.includes('radiolog')) return 'radiologist';
  if (role.includes('refer')) return 'referrer';
  if (role.includes('technolog')) return 'technologist';
  return 'admin';
}

/**
 * Exchanges a username and password for a bearer token at the archive's token endpoint. An archive
 * without the workflow API (no `/auth/token`) only knows its admin, over HTTP Basic (RFC 7617).
 */
export async function signIn(config: PortalConfig, username: string, password: string): Promise<Session> {
  const response = await fetch(`${config.apiUrl}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status === 404) return signInBasic(config, username, password);
  if (response.status === 401 || response.status === 400)
    throw new SignInError('Wrong username or password.');
  if (!response.ok) throw new SignInError(`The archive answered ${response.status}.`);
  const body = (await response.json()) as Record<string, unknown>;
  const token = String(body.access_token ?? body.accessToken ?? body.token ?? '');
  if (token === '') throw new SignInError('The archive sent no token.');
  const user = (body.user ?? {}) as Record<string, unknown>;
  const roles = body.roles ?? user.roles ?? body.role ?? user.role;
  const role = Array.isArray(roles) ? toRole(roles.join(' ')) : toRole(roles);
  return { username, role, auth: { type: 'bearer', token }, authorization: `Bearer ${token}` };
}

async function signInBasic(config: PortalConfig, username: string, password: string): Promise<Session> {
  const authorization = `Basic ${btoa(`${username}:${password}`)}`;
  const probe = await fetch(`${config.dicomwebUrl}/studies?limit=1`, {
    headers: { Authorization: authorization, Accept: 'application/dicom+json' },
  });
  if (probe.status === 401 || probe.status === 403) throw new SignInError('Wrong username or password.');
  if (!probe.ok) throw new SignInError(`The archive answered ${probe.status}.`);
  return { username, role: 'admin', auth: { type: 'basic', username, password }, authorization };
}
