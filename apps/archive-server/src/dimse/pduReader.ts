import type { Socket } from 'node:net';

/** PDU types of PS3.8 9.3. */
export const pduType = {
  associateRequest: 0x01,
  associateAccept: 0x02,
  associateReject: 0x03,
  dataTransfer: 0x04,
  releaseRequest: 0x05,
  releaseResponse: 0x06,
  abort: 0x07,
} as const;

const knownPduTypes = new Set<number>(Object.values(pduType));
/** Association negotiation PDUs are small; a generous cap still stops a forged 4 GB length. */
const maxControlPduLength = 1024 * 1024;
const pduHeaderLength = 6;

export type PduViolation = 'unrecognized-pdu' | 'pdu-too-large';

export interface PduReaderOptions {
  /** Largest P-DATA-TF PDU accepted (the Maximum Length we announced, PS3.8 D.1). */
  maxPduLength: number;
  /** One whole PDU, header included. A view into the received chunk when it arrived in one. */
  onPdu(pdu: Buffer): void;
  onViolation(kind: PduViolation): void;
}

/**
 * Frames the PDUs arriving on a socket (PS3.8 9.3: type, reserved, 4-byte big-endian length).
 * It replaces dcmjs-dimse's reader, which re-concatenates the whole pending PDU with every socket
 * chunk and never checks the length against the maximum it announced: here a PDU that arrives in
 * one chunk is handed on as a view (no copy), one split over chunks is joined once, and an
 * oversized or malformed PDU is answered with A-ABORT (PS3.8 9.3.8, source 2 service provider,
 * reason 1 unrecognized PDU / 6 invalid PDU parameter value) before anything is buffered.
 */
export function readPdus(socket: Socket, options: PduReaderOptions): void {
  /** Bytes of an incomplete PDU (its header at least partly received). */
  let parts: Buffer[] = [];
  let partsLength = 0;
  /** Total length of the PDU being assembled, header included (0 while its header is incomplete). */
  let expected = 0;
  let tripped = false;

  /** Checks a PDU header; false (and A-ABORT sent) when it must not be read further. */
  const admissible = (type: number, length: number): boolean => {
    const limit = type === pduType.dataTransfer ? options.maxPduLength : maxControlPduLength;
    const violation: PduViolation | undefined = !knownPduTypes.has(type)
      ? 'unrecognized-pdu'
      : length > limit
        ? 'pdu-too-large'
        : undefined;
    if (!violation) return true;
    tripped = true;
    parts = [];
    const abort = Buffer.from([0x07, 0, 0, 0, 0, 4, 0, 0, 2, violation === 'unrecognized-pdu' ? 1 : 6]);
    socket.end(abort);
    setTimeout(() => socket.destroy(), 1000).unref();
    options.onViolation(violation);
    return false;
  };

  socket.on('data', (chunk: Buffer) => {
    if (tripped) return;
    let offset = 0;
    if (partsLength > 0) {
      // Complete the PDU begun in earlier chunks.
      if (expected === 0) {
        const headerNeeded = pduHeaderLength - partsLength;
        if (chunk.length < headerNeeded) {
          parts.push(chunk);
          partsLength += chunk.length;
          return;
        }
        const header = Buffer.concat([...parts, chunk.subarray(0, headerNeeded)]);
        const length = header.readUInt32BE(2);
        if (!admissible(header.readUInt8(0), length)) return;
        expected = pduHeaderLength + length;
      }
      const take = Math.min(expected - partsLength, chunk.length);
      parts.push(chunk.subarray(0, take));
      partsLength += take;
      offset = take;
      if (partsLength < expected) return;
      const pdu = parts.length === 1 ? parts[0]! : Buffer.concat(parts, partsLength);
      parts = [];
      partsLength = 0;
      expected = 0;
      options.onPdu(pdu);
      if (tripped || socket.destroyed) return;
    }
    while (offset < chunk.length) {
      if (chunk.length - offset < pduHeaderLength) {
        parts = [chunk.subarray(offset)];
        partsLength = chunk.length - offset;
        return;
      }
      const length = chunk.readUInt32BE(offset + 2);
      if (!admissible(chunk.readUInt8(offset), length)) return;
      const end = offset + pduHeaderLength + length;
      if (end > chunk.length) {
        parts = [chunk.subarray(offset)];
        partsLength = chunk.length - offset;
        expected = pduHeaderLength + length;
        return;
      }
      options.onPdu(chunk.subarray(offset, end));
      if (tripped || socket.destroyed) return;
      offset = end;
    }
  });
}

/** One presentation data value item of a P-DATA-TF PDU (PS3.8 9.3.5.1, E.2). */
export interface Pdv {
  presentationContextID: number;
  command: boolean;
  last: boolean;
  /** A view into the PDU. */
  value: Buffer;
}

/** The PDV items of a P-DATA-TF PDU; undefined when an item's length runs past the PDU. */
export function pdvsOf(pdu: Buffer): Pdv[] | undefined {
  const pdvs: Pdv[] = [];
  let offset = pduHeaderLength;
  while (offset < pdu.length) {
    if (pdu.length - offset < 6) return undefined;
    const itemLength = pdu.readUInt32BE(offset);
    const end = offset + 4 + itemLength;
    if (itemLength < 2 || end > pdu.length) return undefined;
    const control = pdu.readUInt8(offset + 5);
    pdvs.push({
      presentationContextID: pdu.readUInt8(offset + 4),
      command: (control & 0x01) !== 0,
      last: (control & 0x02) !== 0,
      value: pdu.subarray(offset + 6, end),
    });
    offset = end;
  }
  return pdvs;
}
