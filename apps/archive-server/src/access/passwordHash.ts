import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt, a memory-hard KDF (RFC 7914): N=2^15, r=8, p=1 uses 32 MiB per hash, the OWASP
 * password-storage recommendation. Encoded as `scrypt$N$r$p$salt$hash` (base64url) so parameters
 * can be raised later without breaking stored hashes.
 */
const defaults = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

function derive(
  password: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  keyLength: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem: 128 * N * r * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `cost` is log2(N); below the default only for tests and development (the hash records it). */
export async function hashPassword(password: string, cost = 15): Promise<string> {
  const salt = randomBytes(16);
  const { r, p, keyLength } = defaults;
  const N = 2 ** Math.min(20, Math.max(10, Math.round(cost)));
  const key = await derive(password, salt, N, r, p, keyLength);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time comparison; false (never a throw) for a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length < 16) return false;
  const actual = await derive(password, salt, N, r, p, expected.length);
  return timingSafeEqual(actual, expected);
}
