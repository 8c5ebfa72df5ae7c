import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** Kinds of opaque secrets we hand out: refresh tokens, API keys, share links. */
export type SecretTokenKind = 'rt' | 'pk' | 'sl';

export interface SecretToken {
  kind: SecretTokenKind;
  id: string;
  secret: string;
}

const pattern = /^(rt|pk|sl)_([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

/** `<kind>_<uuid>.<32 random bytes, base64url>`: the id finds the row, the secret proves possession. */
export function createSecretToken(kind: SecretTokenKind): { token: string; id: string; secretHash: string } {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { token: `${kind}_${id}.${secret}`, id, secretHash: hashSecret(secret) };
}

export function parseSecretToken(value: string, kind: SecretTokenKind): SecretToken | undefined {
  const m = pattern.exec(value);
  if (!m || m[1] !== kind) return undefined;
  return { kind, id: m[2]!, secret: m[3]! };
}

/** SHA-256 is enough here: the secret has 256 bits of entropy, so no KDF is needed (unlike passwords). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
