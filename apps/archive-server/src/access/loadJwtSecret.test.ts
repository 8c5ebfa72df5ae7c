import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadJwtSecret } from './loadJwtSecret.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadJwtSecret', () => {
  it('creates a 32-byte key once (mode 600) and reads the same key back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pacskit-secret-'));
    dirs.push(dir);
    const first = loadJwtSecret(dir);
    expect(first.byteLength).toBe(32);
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(Buffer.from(loadJwtSecret(dir)).equals(Buffer.from(first))).toBe(true);
  });

  it('prefers a configured key and refuses a short one', () => {
    const configured = Buffer.alloc(40, 7).toString('base64');
    expect(loadJwtSecret('/nonexistent', configured).byteLength).toBe(40);
    expect(() => loadJwtSecret('/nonexistent', Buffer.alloc(8).toString('base64'))).toThrow(/32 bytes/);
  });
});
