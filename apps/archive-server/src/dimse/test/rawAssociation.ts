import { once } from 'node:events';
import { type Socket, connect } from 'node:net';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { commandUS, decodeCommandSet, encodeCommandSet } from '../commandSet.js';
import { encodeDataset } from '../encodeDataset.js';
import { pDataTfPdu } from '../pDataWriter.js';
import { implementationClassUID } from '../part10.js';
import { pduType, pdvsOf, readPdus } from '../pduReader.js';
import { transferSyntax } from '../sopClasses.js';

/** A DIMSE message received: its command set and, when one followed, its data set bytes. */
export interface ReceivedMessage {
  command: Buffer;
  dataset?: Buffer;
}

function item(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt8(type, 0);
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function aeTitle(title: string): Buffer {
  return Buffer.from(title.padEnd(16, ' ').slice(0, 16), 'ascii');
}

/** A-ASSOCIATE-RQ (PS3.8 9.3.2) with one presentation context per abstract syntax (IDs 1, 3, 5…). */
function associateRequest(options: {
  callingAE: string;
  calledAE: string;
  abstractSyntaxes: readonly string[];
  transferSyntaxUID: string;
}): Buffer {
  const contexts = options.abstractSyntaxes.map((abstractSyntax, index) =>
    item(
      0x20,
      Buffer.concat([
        Buffer.from([index * 2 + 1, 0, 0, 0]),
        item(0x30, Buffer.from(abstractSyntax, 'ascii')),
        item(0x40, Buffer.from(options.transferSyntaxUID, 'ascii')),
      ]),
    ),
  );
  const maxLength = Buffer.alloc(4);
  maxLength.writeUInt32BE(64 * 1024, 0);
  const userInformation = item(
    0x50,
    Buffer.concat([item(0x51, maxLength), item(0x52, Buffer.from(implementationClassUID, 'ascii'))]),
  );
  const body = Buffer.concat([
    Buffer.from([0x00, 0x01, 0x00, 0x00]),
    aeTitle(options.calledAE),
    aeTitle(options.callingAE),
    Buffer.alloc(32),
    item(0x10, Buffer.from('1.2.840.10008.3.1.1.1', 'ascii')),
    ...contexts,
    userInformation,
  ]);
  const header = Buffer.alloc(6);
  header.writeUInt8(pduType.associateRequest, 0);
  header.writeUInt32BE(body.length, 2);
  return Buffer.concat([header, body]);
}

/**
 * A minimal DICOM upper-layer client for tests and the bench: it writes PDUs exactly as asked
 * (fragmentation included) and reads whole messages back, with no library in between — so a
 * measurement of a server is not one of a client library, and tests can send what DCMTK never
 * does (a command split over PDVs, many PDVs per PDU, tiny PDUs).
 */
export class RawAssociation {
  readonly #socket: Socket;
  readonly #messages: ReceivedMessage[] = [];
  #waiting: (() => void) | undefined;
  #command: Buffer[] = [];
  #dataset: Buffer[] = [];
  #pendingCommand: Buffer | undefined;
  #otherPdus: Buffer[] = [];
  #closed = false;
  #nextMessageID = 1;
  /** Accepted presentation context ID per abstract syntax. */
  readonly contexts = new Map<string, number>();

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    readPdus(socket, {
      maxPduLength: 16 * 1024 * 1024,
      onPdu: (pdu) => this.#onPdu(pdu),
      onViolation: () => undefined,
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
    socket.on('error', () => undefined);
  }

  static async open(options: {
    port: number;
    calledAE: string;
    callingAE?: string;
    abstractSyntaxes: readonly string[];
    transferSyntaxUID?: string;
  }): Promise<RawAssociation> {
    const socket = connect(options.port, '127.0.0.1');
    await once(socket, 'connect');
    const association = new RawAssociation(socket);
    socket.write(
      associateRequest({
        callingAE: options.callingAE ?? 'RAWSCU',
        calledAE: options.calledAE,
        abstractSyntaxes: options.abstractSyntaxes,
        transferSyntaxUID: options.transferSyntaxUID ?? transferSyntax.explicitVRLittleEndian,
      }),
    );
    const answer = await association.#nextOtherPdu();
    if (answer[0] !== pduType.associateAccept) {
      socket.destroy();
      throw new Error(`association not accepted (PDU type ${answer[0]})`);
    }
    // Presentation context items of the A-ASSOCIATE-AC (0x21): ID and result (0 = acceptance).
    let offset = 6 + 68;
    const accepted = new Set<number>();
    while (offset + 4 <= answer.length) {
      const type = answer.readUInt8(offset);
      const length = answer.readUInt16BE(offset + 2);
      if (type === 0x21 && answer.readUInt8(offset + 6) === 0) accepted.add(answer.readUInt8(offset + 4));
      offset += 4 + length;
    }
    options.abstractSyntaxes.forEach((abstractSyntax, index) => {
      if (accepted.has(index * 2 + 1)) association.contexts.set(abstractSyntax, index * 2 + 1);
    });
    return association;
  }

  get socket(): Socket {
    return this.#socket;
  }

  nextMessageID(): number {
    const id = this.#nextMessageID;
    this.#nextMessageID += 1;
    return id;
  }

  /** Writes bytes as they are (hand-built PDUs). */
  write(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  /** A command and optional data set, each in one PDV of one P-DATA-TF PDU. */
  send(presentationContextID: number, command: Buffer, dataset?: Buffer): void {
    const pdus = [pDataTfPdu(presentationContextID, true, true, command)];
    if (dataset) pdus.push(pDataTfPdu(presentationContextID, false, true, dataset));
    this.#socket.write(pdus.length === 1 ? pdus[0]! : Buffer.concat(pdus));
  }

  /** The next whole DIMSE message from the peer. */
  async receive(): Promise<ReceivedMessage> {
    while (this.#messages.length === 0) {
      if (this.#closed) throw new Error('association closed');
      await new Promise<void>((resolve) => {
        this.#waiting = resolve;
      });
    }
    return this.#messages.shift()!;
  }

  /**
   * C-FIND (PS3.7 9.1.2): sends the identifier and collects the pending responses' identifiers
   * until the final status.
   */
  async find(
    abstractSyntax: string,
    identifier: DicomJsonDataset,
  ): Promise<{ status: number; identifiers: Buffer[] }> {
    const presentationContextID = this.contexts.get(abstractSyntax);
    if (presentationContextID === undefined) throw new Error(`no accepted context for ${abstractSyntax}`);
    const command = encodeCommandSet([
      { element: 0x0002, value: { type: 'UI', value: abstractSyntax } },
      { element: 0x0100, value: { type: 'US', value: 0x0020 } },
      { element: 0x0110, value: { type: 'US', value: this.nextMessageID() } },
      { element: 0x0700, value: { type: 'US', value: 0x0000 } },
      { element: 0x0800, value: { type: 'US', value: 0x0000 } },
    ]);
    this.send(
      presentationContextID,
      command,
      encodeDataset(identifier, transferSyntax.explicitVRLittleEndian),
    );
    const identifiers: Buffer[] = [];
    for (;;) {
      const message = await this.receive();
      const status = commandUS(decodeCommandSet(message.command) ?? new Map(), 0x0900);
      if (status === undefined) throw new Error('response without a status');
      if (status !== 0xff00 && status !== 0xff01) return { status, identifiers };
      if (message.dataset) identifiers.push(message.dataset);
    }
  }

  /** A-RELEASE-RQ, then wait for the peer to close. */
  async release(): Promise<void> {
    if (this.#closed) return;
    this.#socket.write(Buffer.from([0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0]));
    await this.#nextOtherPdu().catch(() => undefined);
    this.#socket.destroy();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  async #nextOtherPdu(): Promise<Buffer> {
    while (this.#otherPdus.length === 0) {
      if (this.#closed) throw new Error('association closed');
      await new Promise<void>((resolve) => {
        this.#waiting = resolve;
      });
    }
    return this.#otherPdus.shift()!;
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }

  #onPdu(pdu: Buffer): void {
    if (pdu[0] !== pduType.dataTransfer) {
      this.#otherPdus.push(Buffer.from(pdu));
      this.#wake();
      return;
    }
    for (const pdv of pdvsOf(pdu) ?? []) {
      (pdv.command ? this.#command : this.#dataset).push(Buffer.from(pdv.value));
      if (!pdv.last) continue;
      if (pdv.command) {
        const command = Buffer.concat(this.#command);
        this.#command = [];
        const decoded = decodeCommandSet(command);
        if (decoded && commandUS(decoded, 0x0800) !== 0x0101) {
          this.#pendingCommand = command;
          continue;
        }
        this.#messages.push({ command });
      } else {
        this.#messages.push({
          command: this.#pendingCommand ?? Buffer.alloc(0),
          dataset: Buffer.concat(this.#dataset),
        });
        this.#pendingCommand = undefined;
        this.#dataset = [];
      }
      this.#wake();
    }
  }
}
