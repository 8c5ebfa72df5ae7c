import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { PacsError } from '@pacskit/dicom';

/** Random access to the bytes of a Part 10 file, read lazily so large values are never loaded. */
export interface ByteSource {
  readonly length: number;
  /** `length` bytes at `offset`; throws DICOM_PARSE_ERROR when they are not all there (truncated). */
  bytes(offset: number, length: number): Buffer;
}

function truncated(offset: number, length: number, total: number): PacsError {
  return new PacsError(
    'DICOM_PARSE_ERROR',
    'the file ends inside an element (truncated or a length that lies)',
    {
      details: { offset, length, fileLength: total },
    },
  );
}

export class BufferSource implements ByteSource {
  readonly length: number;
  constructor(private readonly buffer: Buffer) {
    this.length = buffer.length;
  }
  bytes(offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.length)
      throw truncated(offset, length, this.length);
    return this.buffer.subarray(offset, offset + length);
  }
}

const windowSize = 256 * 1024;

/** Reads a file through a 256 KiB window: headers parse in a few reads, pixel data is skipped. */
export class FileSource implements ByteSource {
  readonly length: number;
  private readonly fd: number;
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.length = fstatSync(this.fd).size;
  }

  bytes(offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.length)
      throw truncated(offset, length, this.length);
    if (offset >= this.windowStart && offset + length <= this.windowStart + this.window.length) {
      return this.window.subarray(offset - this.windowStart, offset - this.windowStart + length);
    }
    const size = Math.min(Math.max(length, windowSize), this.length - offset);
    const buffer = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(this.fd, buffer, read, size - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    this.window = buffer.subarray(0, read);
    this.windowStart = offset;
    if (read < length) throw truncated(offset, length, this.length);
    return this.window.subarray(0, length);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * The first bytes of a file already in memory (kept while it was received), the rest read from
 * the file only if the parse gets that far: a small instance is parsed without reopening it.
 */
export class HeadThenFileSource implements ByteSource {
  private file: FileSource | undefined;

  constructor(
    private readonly head: Buffer,
    private readonly path: string,
    readonly length: number,
  ) {}

  bytes(offset: number, length: number): Buffer {
    if (offset >= 0 && length >= 0 && offset + length <= this.head.length) {
      return this.head.subarray(offset, offset + length);
    }
    this.file ??= new FileSource(this.path);
    return this.file.bytes(offset, length);
  }

  close(): void {
    this.file?.close();
  }
}
