import { PacsError } from '@pacskit/dicom';

/** MLLP framing (HL7 v2 Minimal Lower Layer Protocol, release 2): <VT> message <FS><CR>. */
const startBlock = 0x0b;
const endBlock = 0x1c;
const carriageReturn = 0x0d;

export function frameMllp(message: string): Buffer {
  return Buffer.concat([
    Buffer.from([startBlock]),
    Buffer.from(message, 'utf8'),
    Buffer.from([endBlock, carriageReturn]),
  ]);
}

/**
 * Accumulates bytes from a socket and returns the complete messages framed so far. Bytes outside
 * a frame are ignored; a frame larger than `maxBytes` fails with PAYLOAD_TOO_LARGE.
 */
export class MllpDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBytes = 1024 * 1024) {}

  push(chunk: Buffer): string[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const messages: string[] = [];
    for (;;) {
      const start = this.buffer.indexOf(startBlock);
      if (start < 0) {
        this.buffer = Buffer.alloc(0);
        break;
      }
      let end = this.buffer.indexOf(endBlock, start + 1);
      while (end >= 0 && end + 1 < this.buffer.length && this.buffer[end + 1] !== carriageReturn) {
        end = this.buffer.indexOf(endBlock, end + 1);
      }
      if (end < 0 || end + 1 >= this.buffer.length) {
        this.buffer = this.buffer.subarray(start);
        if (this.buffer.length > this.maxBytes) {
          this.buffer = Buffer.alloc(0);
          throw new PacsError('PAYLOAD_TOO_LARGE', 'HL7 message too large');
        }
        break;
      }
      messages.push(this.buffer.subarray(start + 1, end).toString('utf8'));
      this.buffer = this.buffer.subarray(end + 2);
    }
    return messages;
  }
}
