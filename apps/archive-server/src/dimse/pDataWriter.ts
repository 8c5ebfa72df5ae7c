import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { once } from 'node:events';

/** Used when the peer announces no maximum (0 = unlimited, PS3.8 D.1). */
const defaultFragmentLength = 64 * 1024;

export function pDataTfPdu(
  presentationContextID: number,
  command: boolean,
  last: boolean,
  data: Buffer,
): Buffer {
  // P-DATA-TF (PS3.8 9.3.5) holding one PDV item (PS3.8 9.3.5.1, E.2 message control header).
  const header = Buffer.alloc(12);
  header.writeUInt8(0x04, 0);
  header.writeUInt8(0, 1);
  header.writeUInt32BE(6 + data.length, 2);
  header.writeUInt32BE(2 + data.length, 6);
  header.writeUInt8(presentationContextID, 10);
  header.writeUInt8((command ? 0x01 : 0x00) | (last ? 0x02 : 0x00), 11);
  return Buffer.concat([header, data]);
}

async function write(socket: Socket, chunk: Buffer): Promise<void> {
  if (socket.destroyed) throw new Error('association closed');
  if (!socket.write(chunk)) {
    // Backpressure: never queue more than the socket's buffer for a slow reader.
    await Promise.race([
      once(socket, 'drain'),
      once(socket, 'close').then(() => {
        throw new Error('association closed');
      }),
    ]);
  }
}

/**
 * Sends a command and its data set on an association, the data set streamed from `dataset` in
 * PDVs no longer than the peer's maximum PDU, waiting for the socket to drain between writes.
 * This replaces dcmjs-dimse's `_sendPDataTF`, which re-encodes the data set through dcmjs (losing
 * private tags, rewriting DS) and holds it whole in memory.
 */
export async function sendCommandWithDataset(options: {
  socket: Socket;
  presentationContextID: number;
  maxPduLength: number;
  command: Buffer;
  dataset: Readable;
}): Promise<void> {
  const { socket, presentationContextID } = options;
  const fragmentLength = options.maxPduLength > 6 ? options.maxPduLength - 6 : defaultFragmentLength;
  await write(socket, pDataTfPdu(presentationContextID, true, true, options.command));
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of options.dataset) {
    pending = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
    // Keep at least one byte back so the final fragment can carry the "last" bit.
    while (pending.length > fragmentLength) {
      await write(
        socket,
        pDataTfPdu(presentationContextID, false, false, pending.subarray(0, fragmentLength)),
      );
      pending = pending.subarray(fragmentLength);
    }
  }
  await write(socket, pDataTfPdu(presentationContextID, false, true, pending));
}

/**
 * A command and its (small) data set as P-DATA-TF PDUs in one buffer, for one socket write:
 * C-FIND responses, where a stream and a write per PDU would cost more than the encoding.
 */
export function pDataTfPdus(options: {
  presentationContextID: number;
  maxPduLength: number;
  command: Buffer;
  dataset?: Buffer;
}): Buffer {
  const { presentationContextID, dataset } = options;
  const pdus = [pDataTfPdu(presentationContextID, true, true, options.command)];
  if (dataset) {
    const fragmentLength = options.maxPduLength > 6 ? options.maxPduLength - 6 : defaultFragmentLength;
    let offset = 0;
    do {
      const end = Math.min(offset + fragmentLength, dataset.length);
      pdus.push(
        pDataTfPdu(presentationContextID, false, end === dataset.length, dataset.subarray(offset, end)),
      );
      offset = end;
    } while (offset < dataset.length);
  }
  return Buffer.concat(pdus);
}

/** Sends a command with no data set (a final C-FIND response, for instance). */
export async function sendCommand(options: {
  socket: Socket;
  presentationContextID: number;
  command: Buffer;
}): Promise<void> {
  await write(options.socket, pDataTfPdu(options.presentationContextID, true, true, options.command));
}
