import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { PacsError, isPacsError } from '@pacskit/dicom';
import { datasetPeekLimit, peekSopUIDs } from './datasetPeek.js';
import type { DimseServices, DimseSource } from './dimseServices.js';
import { writeFileMetaInformation } from './part10.js';

/** A C-STORE status (PS3.4 B.2.3) and its Error Comment (0000,0902). */
export interface CStoreResult {
  status: number;
  comment?: string | undefined;
}

const success = 0x0000;
const processingFailure = 0x0110;
const storeStreamHighWaterMark = 1024 * 1024;

/** DIMSE Error Comment (0000,0902) is LO: at most 64 characters (PS3.7 C.4.1.1). */
export function errorComment(text: string): string {
  return text.slice(0, 64);
}

export function statusForError(error: unknown): { status: number; comment: string } {
  if (isPacsError(error)) return { status: error.statusForDimse, comment: error.code };
  return { status: processingFailure, comment: 'INTERNAL' };
}

export interface CStoreReceiverOptions {
  sopClassUID: string;
  sopInstanceUID: string;
  transferSyntaxUID: string;
  callingAE: string;
  socket: Socket;
  services: DimseServices;
  source: DimseSource;
}

/**
 * One C-STORE data set being received: its PDV values go, as they arrive, into the ingest
 * pipeline as a Part 10 stream (file meta information built from the command, then the data set
 * bytes exactly as received — private tags and DS values untouched). Reading from the peer stops
 * while the pipeline is behind (dcmjs-dimse never pauses its socket), so memory stays flat for a
 * 200 MB instance. `result` resolves once the instance is durable, or with the failure status.
 */
export class CStoreReceiver {
  readonly result: Promise<CStoreResult>;
  readonly #options: CStoreReceiverOptions;
  readonly #stream = new PassThrough({ highWaterMark: storeStreamHighWaterMark });
  readonly #controller = new AbortController();
  /** The first bytes, until SOP Class and Instance UID are found (or it cannot tell). */
  #head: Buffer | undefined = Buffer.alloc(0);
  #refused: CStoreResult | undefined;
  #settled = false;
  #waitingForDrain = false;

  constructor(options: CStoreReceiverOptions) {
    this.#options = options;
    this.#stream.on('error', () => undefined);
    this.#stream.write(
      writeFileMetaInformation({
        mediaStorageSOPClassUID: options.sopClassUID,
        mediaStorageSOPInstanceUID: options.sopInstanceUID,
        transferSyntaxUID: options.transferSyntaxUID,
        sourceApplicationEntityTitle: options.callingAE,
      }),
    );
    const stored = options.services
      .storeInstance({ stream: this.#stream, source: options.source, signal: this.#controller.signal })
      .then(
        (outcome): CStoreResult => {
          switch (outcome.status) {
            case 'stored':
              return { status: success };
            case 'warning':
              // 0xB000 coercion of data elements (PS3.4 B.2.3), or the pipeline's own warning status.
              return {
                status: outcome.warningStatus ?? 0xb000,
                comment: errorComment(outcome.warnings?.join('; ') ?? 'coerced'),
              };
            case 'failed':
              return statusForError(outcome.failure ?? new PacsError('INTERNAL'));
            default:
              return outcome.status satisfies never;
          }
        },
        (error: unknown) => statusForError(error),
      );
    this.result = stored.then((result) => this.#refused ?? result);
    void stored.finally(() => {
      this.#settled = true;
      // The pipeline stopped reading (it failed early): take the rest of the data set and drop it.
      if (this.#waitingForDrain) {
        this.#waitingForDrain = false;
        options.socket.resume();
      }
    });
  }

  /** One data PDV value (a view into the received PDU). */
  write(value: Buffer): void {
    if (this.#refused || this.#settled) return;
    if (this.#head !== undefined && !this.#checkHead(value)) return;
    if (this.#stream.write(value) || this.#waitingForDrain) return;
    // Backpressure: stop reading from the peer until the pipeline has taken what it has.
    this.#waitingForDrain = true;
    this.#options.socket.pause();
    this.#stream.once('drain', () => {
      if (!this.#waitingForDrain) return;
      this.#waitingForDrain = false;
      this.#options.socket.resume();
    });
  }

  /** The last data PDV has arrived. */
  end(): void {
    if (!this.#refused && !this.#stream.destroyed) this.#stream.end();
  }

  /** The association closed before the data set was complete: the pipeline stores nothing. */
  abort(reason: PacsError): void {
    this.#controller.abort(reason);
    this.#stream.destroy(reason);
  }

  /**
   * PS3.4 B.2.3: a data set whose SOP Class/Instance UID differ from the command's gets 0xA900
   * (Data Set does not match SOP Class), refused before anything is written. False when refused.
   */
  #checkHead(value: Buffer): boolean {
    const head = this.#head!.length === 0 ? value : Buffer.concat([this.#head!, value]);
    const peek = peekSopUIDs(head, this.#options.transferSyntaxUID);
    if (peek.kind === 'more' && head.length < datasetPeekLimit) {
      this.#head = head;
      return true;
    }
    this.#head = undefined;
    if (
      peek.kind === 'found' &&
      (peek.sopClassUID !== this.#options.sopClassUID || peek.sopInstanceUID !== this.#options.sopInstanceUID)
    ) {
      const comment = 'data set does not match the C-STORE command';
      this.#refused = { status: 0xa900, comment };
      this.abort(new PacsError('DATASET_MISMATCH', comment));
      return false;
    }
    return true;
  }
}
