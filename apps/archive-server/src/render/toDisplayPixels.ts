import { PacsError } from '@pacskit/dicom';
import type { PaletteColorLut } from './PaletteColorLut.js';
import type { PixelLayout } from './PixelLayout.js';

export interface DisplayPixels {
  pixels: Buffer;
  channels: 1 | 3;
  width: number;
  height: number;
}

export interface DisplayOptions {
  /** Modality LUT (PS3.3 C.11.1): Rescale Slope and Intercept. */
  rescale: { slope: number; intercept: number };
  /** Window center/width in modality units; the request's, else the instance's, else min–max. */
  window: { center: number; width: number } | undefined;
  /** Required for PALETTE COLOR. */
  palette?: PaletteColorLut;
}

/**
 * Turns native little-endian samples into 8-bit grey or RGB for sharp: MONOCHROME1/2 through
 * the modality and linear VOI functions (PS3.3 C.11.2.1.2.1), PALETTE COLOR through its LUT, and
 * RGB/YBR_FULL/YBR_FULL_422 (8 or 16 bits, interleaved or planar) to RGB.
 */
export function toDisplayPixels(layout: PixelLayout, bytes: Buffer, options: DisplayOptions): DisplayPixels {
  const { rows, columns, samplesPerPixel, bitsAllocated } = layout;
  const photometric = layout.photometricInterpretation;
  const count = rows * columns;
  if (count === 0) throw new PacsError('CANNOT_RENDER', 'Rows or Columns missing');
  const size = { width: columns, height: rows };
  if (photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2' || photometric === 'PALETTE COLOR') {
    if (samplesPerPixel !== 1 || (bitsAllocated !== 8 && bitsAllocated !== 16 && bitsAllocated !== 32)) {
      throw new PacsError('CANNOT_RENDER', 'unsupported single-sample pixel layout', {
        details: { bitsAllocated, samplesPerPixel },
      });
    }
    const stored = storedValues(layout, bytes, count);
    if (photometric === 'PALETTE COLOR') {
      if (!options.palette) throw new PacsError('CANNOT_RENDER', 'PALETTE COLOR without a lookup table');
      return { pixels: options.palette.apply(stored), channels: 3, ...size };
    }
    return { pixels: applyVoi(stored, options, photometric === 'MONOCHROME1'), channels: 1, ...size };
  }
  if (samplesPerPixel !== 3 || (bitsAllocated !== 8 && bitsAllocated !== 16)) {
    throw new PacsError('CANNOT_RENDER', 'unsupported color pixel layout', {
      details: { photometric, bitsAllocated },
    });
  }
  const samplesInFrame = photometric === 'YBR_FULL_422' ? count * 2 : count * 3;
  if (bytes.length < samplesInFrame * (bitsAllocated / 8)) {
    throw new PacsError('CANNOT_RENDER', 'the frame is shorter than Rows × Columns');
  }
  // 16-bit colour keeps its most significant 8 stored bits.
  const sample =
    bitsAllocated === 8
      ? (i: number) => bytes[i] ?? 0
      : (i: number) => bytes.readUInt16LE(i * 2) >> Math.max(0, Math.min(layout.bitsStored, 16) - 8);
  const out = Buffer.allocUnsafe(count * 3);
  if (photometric === 'YBR_FULL_422') {
    // Two pixels share Cb and Cr: Y0 Y1 Cb Cr (PS3.3 C.7.6.3.1.2).
    for (let p = 0; p < count; p += 2) {
      const base = p * 2;
      const cb = sample(base + 2);
      const cr = sample(base + 3);
      ybrToRgb(sample(base), cb, cr, out, p * 3);
      if (p + 1 < count) ybrToRgb(sample(base + 1), cb, cr, out, (p + 1) * 3);
    }
    return { pixels: out, channels: 3, ...size };
  }
  if (photometric !== 'RGB' && photometric !== 'YBR_FULL') {
    throw new PacsError('CANNOT_RENDER', 'unsupported photometric interpretation', {
      details: { photometric },
    });
  }
  const planar = layout.planarConfiguration === 1;
  for (let i = 0; i < count; i++) {
    const a = sample(planar ? i : i * 3);
    const b = sample(planar ? count + i : i * 3 + 1);
    const c = sample(planar ? 2 * count + i : i * 3 + 2);
    if (photometric === 'RGB') {
      out[i * 3] = a;
      out[i * 3 + 1] = b;
      out[i * 3 + 2] = c;
    } else ybrToRgb(a, b, c, out, i * 3);
  }
  return { pixels: out, channels: 3, ...size };
}

/** Stored values: only Bits Stored, sign-extended when Pixel Representation is 1 (PS3.5 8.1.1). */
function storedValues(layout: PixelLayout, bytes: Buffer, count: number): Float64Array {
  const { bitsAllocated, bitsStored } = layout;
  const signed = layout.pixelRepresentation === 1;
  const bytesPerSample = bitsAllocated / 8;
  if (bytes.length < count * bytesPerSample) {
    throw new PacsError('CANNOT_RENDER', 'the frame is shorter than Rows × Columns');
  }
  const values = new Float64Array(count);
  const shift = 32 - bitsStored;
  for (let i = 0; i < count; i++) {
    let v: number;
    if (bitsAllocated === 8) v = bytes[i] ?? 0;
    else if (bitsAllocated === 16) v = bytes.readUInt16LE(i * 2);
    else v = bytes.readUInt32LE(i * 4);
    values[i] = signed ? (v << shift) >> shift : bitsStored < 32 ? v & (2 ** bitsStored - 1) : v;
  }
  return values;
}

function applyVoi(stored: Float64Array, options: DisplayOptions, inverted: boolean): Buffer {
  const { slope, intercept } = options.rescale;
  const count = stored.length;
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = (stored[i] as number) * slope + intercept;
  let center = options.window?.center;
  let width = options.window?.width;
  if (center === undefined || width === undefined || width < 1) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    center = (min + max) / 2;
    width = Math.max(1, max - min + 1);
  }
  // Linear VOI function (PS3.3 C.11.2.1.2.1).
  const out = Buffer.allocUnsafe(count);
  const low = center - 0.5 - (width - 1) / 2;
  const high = center - 0.5 + (width - 1) / 2;
  for (let i = 0; i < count; i++) {
    const v = values[i] as number;
    let y = v <= low ? 0 : v > high ? 255 : ((v - (center - 0.5)) / (width - 1) + 0.5) * 255;
    if (inverted) y = 255 - y;
    out[i] = Math.round(y);
  }
  return out;
}

/** YCbCr full range to RGB (PS3.3 C.7.6.3.1.2). */
function ybrToRgb(y: number, cb: number, cr: number, out: Buffer, at: number): void {
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  out[at] = clamp(y + 1.402 * (cr - 128));
  out[at + 1] = clamp(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128));
  out[at + 2] = clamp(y + 1.772 * (cb - 128));
}
