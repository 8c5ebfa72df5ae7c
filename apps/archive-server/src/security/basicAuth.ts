import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PacsError } from '@pacskit/dicom';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from './Principal.js';

/**
 * Authentication, all in this file: HTTP Basic with one admin account until the workflow/security
 * issue replaces it with roles, patient scope and tokens. Everything else only sees a `Principal`
 * (request.principal), so that swap touches nothing outside src/security/.
 */
declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const adminUser = 'admin';
const hashFileName = 'admin-password.scrypt';

export interface AdminCredentials {
  /** salt:hash (hex), scrypt (N=16384, r=8, p=1, 32 bytes). */
  hash: string;
  /** Set only when the password was generated now: print it once, it is stored nowhere in clear. */
  generatedPassword?: string;
}

function scryptHash(password: string, salt: Buffer): string {
  return `${salt.toString('hex')}:${scryptSync(password, salt, 32).toString('hex')}`;
}

/**
 * The admin password: PACSKIT_ADMIN_PASSWORD when given, else the stored hash under the data dir,
 * else a generated one whose hash is stored (mode 600) and which is returned once to be printed.
 */
export function loadAdminCredentials(dataDir: string, password: string | undefined): AdminCredentials {
  if (password !== undefined && password !== '') return { hash: scryptHash(password, randomBytes(16)) };
  const file = join(dataDir, hashFileName);
  if (existsSync(file)) return { hash: readFileSync(file, 'utf8').trim() };
  const generated = randomBytes(12).toString('base64url');
  const hash = scryptHash(generated, randomBytes(16));
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${hash}\n`, { mode: 0o600 });
  return { hash, generatedPassword: generated };
}

function verify(password: string, stored: string): boolean {
  const [saltHex, hashHex] = stored.split(':');
  if (!saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = scryptSync(password, Buffer.from(saltHex, 'hex'), expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * A Fastify onRequest hook resolving `request.principal` from HTTP Basic credentials, or failing
 * with UNAUTHENTICATED (401 + WWW-Authenticate). Verified headers are remembered by digest so
 * scrypt runs once per credential, not once per request.
 */
export function createBasicAuthHook(credentials: AdminCredentials) {
  const verified = new Set<string>();
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.method === 'OPTIONS') return; // CORS preflight carries no credentials
    const header = request.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const digest = createHash('sha256').update(header).digest('hex');
      if (verified.has(digest)) {
        request.principal = { subject: adminUser, admin: true };
        return;
      }
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (
        colon > 0 &&
        decoded.slice(0, colon) === adminUser &&
        verify(decoded.slice(colon + 1), credentials.hash)
      ) {
        if (verified.size < 1000) verified.add(digest);
        request.principal = { subject: adminUser, admin: true };
        return;
      }
    }
    reply.header('WWW-Authenticate', 'Basic realm="PacsKit", charset="UTF-8"');
    throw new PacsError('UNAUTHENTICATED', 'valid credentials are required');
  };
}
