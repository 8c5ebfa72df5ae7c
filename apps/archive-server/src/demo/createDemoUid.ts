import { createHash } from 'node:crypto';

/**
 * A UID in the "2.25." form of PS3.5 B.2: a UUID as a decimal integer. The UUID is a name-based
 * one (RFC 9562 version 8, from SHA-256) of a random root saved per data directory plus the
 * object's path in the demo, so an interrupted seed, run again, produces the same UIDs and the
 * archive keeps the instances it already has instead of doubling the studies.
 */
export function createDemoUid(root: string, ...path: (string | number)[]): string {
  const bytes = createHash('sha256')
    .update([root, ...path].join('/'))
    .digest()
    .subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80; // version 8
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  return `2.25.${BigInt(`0x${bytes.toString('hex')}`).toString(10)}`;
}
