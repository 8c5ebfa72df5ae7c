import { PacsError } from './pacsError.js';

const uidPattern = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

/**
 * True for a valid UID (PS3.5 9.1): digits and dots, at most 64 characters, components without
 * leading zeros (a component may be "0").
 */
export function isValidUid(uid: string): boolean {
  return typeof uid === 'string' && uid.length > 0 && uid.length <= 64 && uidPattern.test(uid);
}

function randomBytes(count: number): Uint8Array {
  const bytes = new Uint8Array(count);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

export interface CreateUidOptions {
  /** An organisation root ("1.2.826.0.1.3680043.10.1234"). Without it: "2.25." + a UUID (PS3.5 B.2). */
  root?: string;
}

/**
 * Creates a new UID. Without a root: "2.25." followed by the decimal form of a random (version 4)
 * UUID, as PS3.5 B.2 and ITU-T X.667 allow, at most 44 characters. With a root: the root, a dot
 * and a random suffix filling the rest of the 64 characters (at most 30 digits, about 99 bits).
 * Throws `PacsError('INVALID_UID')` for an invalid root or one too long to leave room for a suffix.
 */
export function createUid(options: CreateUidOptions = {}): string {
  if (options.root === undefined) {
    const bytes = randomBytes(16);
    bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
    let value = 0n;
    for (const byte of bytes) value = (value << 8n) | BigInt(byte);
    return `2.25.${value.toString(10)}`;
  }
  const root = options.root.replace(/\.$/, '');
  if (!isValidUid(root)) throw new PacsError('INVALID_UID', 'the UID root is not a valid UID');
  const room = Math.min(30, 64 - root.length - 1);
  if (room < 8) throw new PacsError('INVALID_UID', 'the UID root leaves fewer than 8 digits for the suffix');
  const bytes = randomBytes(room);
  let suffix = String((bytes[0]! % 9) + 1); // no leading zero
  for (let index = 1; index < room; index++) suffix += String(bytes[index]! % 10);
  return `${root}.${suffix}`;
}
