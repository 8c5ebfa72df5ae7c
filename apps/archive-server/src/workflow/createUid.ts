import { randomUUID } from 'node:crypto';

/** A UID under the 2.25 root from a random UUID (PS3.5 B.2): needs no registered org root. */
export function createUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString(10)}`;
}
