import { PacsError } from '@pacskit/dicom';

/**
 * Decodes one RLE Lossless frame (PS3.5 Annex G) to native little-endian bytes, samples
 * interleaved (Planar Configuration 0). The frame header lists up to 15 segments: one per byte of
 * each sample, most significant byte first (G.2); each segment is PackBits-encoded (G.3.1).
 */
export function decodeRleFrame(
  frame: Buffer,
  layout: { rows: number; columns: number; samplesPerPixel: number; bitsAllocated: number },
): Buffer {
  const { rows, columns, samplesPerPixel, bitsAllocated } = layout;
  const bytesPerSample = bitsAllocated / 8;
  if (!Number.isInteger(bytesPerSample) || frame.length < 64) {
    throw new PacsError('CANNOT_RENDER', 'unsupported or truncated RLE frame');
  }
  const segmentCount = frame.readUInt32LE(0);
  if (segmentCount !== samplesPerPixel * bytesPerSample || segmentCount > 15) {
    throw new PacsError('CANNOT_RENDER', 'the RLE segment count does not match the pixel layout');
  }
  const pixels = rows * columns;
  const out = Buffer.alloc(pixels * samplesPerPixel * bytesPerSample);
  for (let segment = 0; segment < segmentCount; segment++) {
    const start = frame.readUInt32LE(4 + segment * 4);
    const end = segment + 1 < segmentCount ? frame.readUInt32LE(8 + segment * 4) : frame.length;
    if (start < 64 || end > frame.length || start > end)
      throw new PacsError('CANNOT_RENDER', 'bad RLE segment offsets');
    const sample = Math.floor(segment / bytesPerSample);
    // Segments go from the most significant byte; little-endian output puts it last.
    const byteInSample = bytesPerSample - 1 - (segment % bytesPerSample);
    const stride = samplesPerPixel * bytesPerSample;
    let target = sample * bytesPerSample + byteInSample;
    let written = 0;
    let position = start;
    while (position < end && written < pixels) {
      const header = frame.readInt8(position++);
      if (header >= 0) {
        for (let i = 0; i <= header && written < pixels && position < end; i++, written++, target += stride) {
          out[target] = frame[position++] as number;
        }
      } else if (header !== -128) {
        const value = frame[position++] as number;
        for (let i = 0; i < 1 - header && written < pixels; i++, written++, target += stride)
          out[target] = value;
      }
    }
  }
  return out;
}
