import type { Socket } from 'node:net';

/** PDU types of PS3.8 9.3. */
const knownPduTypes = new Set([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);
/** Association negotiation PDUs are small; a generous cap still stops a forged 4 GB length. */
const maxControlPduLength = 1024 * 1024;

export type PduViolation = 'unrecognized-pdu' | 'pdu-too-large';

/**
 * Watches PDU headers on a socket before dcmjs-dimse sees them. dcmjs-dimse concatenates every
 * PDU in memory up to its declared length and never checks it against the maximum it announced,
 * so an oversized or malformed PDU is caught here: we send A-ABORT (PS3.8 9.3.8, source 2
 * service provider, reason 1 unrecognized PDU / 6 invalid PDU parameter value) and close.
 */
export function guardPdus(
  socket: Socket,
  options: { maxPduLength: number; onViolation(kind: PduViolation): void },
): void {
  let header = Buffer.alloc(0);
  let remaining = 0;
  let tripped = false;
  socket.prependListener('data', (chunk: Buffer) => {
    if (tripped) return;
    let offset = 0;
    while (offset < chunk.length) {
      if (remaining > 0) {
        const take = Math.min(remaining, chunk.length - offset);
        remaining -= take;
        offset += take;
        continue;
      }
      const need = 6 - header.length;
      header = Buffer.concat([header, chunk.subarray(offset, offset + need)]);
      offset += Math.min(need, chunk.length - offset);
      if (header.length < 6) return;
      const type = header.readUInt8(0);
      const length = header.readUInt32BE(2);
      header = Buffer.alloc(0);
      const limit = type === 0x04 ? options.maxPduLength : maxControlPduLength;
      const violation: PduViolation | undefined = !knownPduTypes.has(type)
        ? 'unrecognized-pdu'
        : length > limit
          ? 'pdu-too-large'
          : undefined;
      if (violation) {
        tripped = true;
        const abort = Buffer.from([0x07, 0, 0, 0, 0, 4, 0, 0, 2, violation === 'unrecognized-pdu' ? 1 : 6]);
        socket.end(abort);
        setTimeout(() => socket.destroy(), 1000).unref();
        options.onViolation(violation);
        return;
      }
      remaining = length;
    }
  });
}
