import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PacsError } from '@pacskit/dicom';

const fileName = 'jwt-secret';

/**
 * The HMAC key of our access tokens: from configuration (base64, ≥ 32 bytes) when given — needed
 * when several archive processes share the load — else stored once under the data dir (mode 600),
 * so tokens survive a restart.
 */
export function loadJwtSecret(dataDir: string, configured?: string): Uint8Array {
  if (configured !== undefined && configured !== '') {
    const key = Buffer.from(configured, 'base64');
    if (key.length < 32)
      throw new PacsError('INVALID_ARGUMENT', 'the JWT secret must be at least 32 bytes (base64)');
    return new Uint8Array(key);
  }
  const file = join(dataDir, fileName);
  if (existsSync(file)) return new Uint8Array(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  const key = randomBytes(32);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return new Uint8Array(key);
}
