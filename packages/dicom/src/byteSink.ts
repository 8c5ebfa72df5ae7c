/** A growable little/big endian byte buffer for the Part 10 writer. */
export class ByteSink {
  private chunks: Uint8Array[] = [];
  private current = new Uint8Array(64 * 1024);
  private used = 0;
  private total = 0;

  get length(): number {
    return this.total;
  }

  private reserve(size: number): void {
    if (this.used + size <= this.current.length) return;
    this.chunks.push(this.current.subarray(0, this.used));
    this.current = new Uint8Array(Math.max(64 * 1024, size));
    this.used = 0;
  }

  bytes(value: Uint8Array): void {
    if (value.length > 16 * 1024) {
      // Large values (pixel data) are referenced, not copied twice.
      this.chunks.push(this.current.subarray(0, this.used));
      this.chunks.push(value);
      this.current = new Uint8Array(64 * 1024);
      this.used = 0;
    } else {
      this.reserve(value.length);
      this.current.set(value, this.used);
      this.used += value.length;
    }
    this.total += value.length;
  }

  uint16(value: number, littleEndian: boolean): void {
    this.reserve(2);
    new DataView(this.current.buffer, this.current.byteOffset + this.used, 2).setUint16(
      0,
      value,
      littleEndian,
    );
    this.used += 2;
    this.total += 2;
  }

  uint32(value: number, littleEndian: boolean): void {
    this.reserve(4);
    new DataView(this.current.buffer, this.current.byteOffset + this.used, 4).setUint32(
      0,
      value,
      littleEndian,
    );
    this.used += 4;
    this.total += 4;
  }

  ascii(text: string): void {
    const bytes = new Uint8Array(text.length);
    for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index) & 0xff;
    this.bytes(bytes);
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.total);
    let offset = 0;
    for (const chunk of [...this.chunks, this.current.subarray(0, this.used)]) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
