import type { DicomJsonDataset } from '@pacskit/dicom';
import { PacsError } from '@pacskit/dicom';
import sharp, { type Sharp } from 'sharp';
import { decodeRleFrame } from '../part10/decodeRleFrame.js';
import type { InstanceRecord } from '../ports/Index.js';
import type { RetrieveService } from './RetrieveService.js';

export type RenderedMediaType = 'image/jpeg' | 'image/png';

export interface RenderOptions {
  frameNumber?: number;
  mediaType: RenderedMediaType;
  /** Window center/width in modality units (PS3.18 8.3.5.1.4 `window`); else the instance's own. */
  window?: { center: number; width: number };
  /** Fit inside rows × columns (PS3.18 8.3.5.1.3 `viewport`). */
  viewport?: { rows: number; columns: number };
  /** JPEG quality 1–100. */
  quality?: number;
  signal?: AbortSignal;
}

const rleLossless = '1.2.840.10008.1.2.5';
const jpegLike = new Set(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51']);

function num(dataset: DicomJsonDataset, tag: string, index = 0): number | undefined {
  const v = dataset[tag]?.Value?.[index];
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined;
}
function str(dataset: DicomJsonDataset, tag: string): string | undefined {
  const v = dataset[tag]?.Value?.[0];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Rendered and thumbnail resources (PS3.18 10.4.1.1.3/.6) and WADO-URI images: decodes native
 * MONOCHROME1/2 (rescale + VOI window, PS3.3 C.11.2), RGB and YBR_FULL/YBR_FULL_422, and hands
 * baseline/extended JPEG frames to sharp, and decodes RLE Lossless itself. Other codecs (JPEG-LS, JPEG 2000) and PALETTE
 * COLOR fail with CANNOT_RENDER (406).
 */
export class RenderService {
  constructor(private readonly retrieve: RetrieveService) {}

  async render(record: InstanceRecord, options: RenderOptions): Promise<Buffer> {
    const attrs = record.instance;
    const frameNumber = options.frameNumber ?? 1;
    if (!record.pixelData) throw new PacsError('CANNOT_RENDER', 'the instance has no pixel data');
    const [frame] = await this.retrieve.frames(record, [frameNumber]);
    if (!frame) throw new PacsError('NOT_FOUND', 'no such frame');
    let image: Sharp;
    if (record.transferSyntaxUID === rleLossless) {
      const decoded = decodeRleFrame(frame.bytes, {
        rows: num(attrs, '00280010') ?? 0,
        columns: num(attrs, '00280011') ?? 0,
        samplesPerPixel: num(attrs, '00280002') ?? 1,
        bitsAllocated: num(attrs, '00280100') ?? 8,
      });
      // Decoded RLE is interleaved whatever Planar Configuration says (PS3.5 G.2).
      const interleaved = { ...attrs, '00280006': { vr: 'US' as const, Value: [0] } };
      const { pixels, channels, width, height } = decodeNative(interleaved, decoded, options.window);
      image = sharp(pixels, { raw: { width, height, channels } });
    } else if (record.pixelData.encapsulated) {
      if (!jpegLike.has(record.transferSyntaxUID)) {
        throw new PacsError('CANNOT_RENDER', 'rendering this compressed transfer syntax is not supported', {
          details: { transferSyntaxUID: record.transferSyntaxUID },
        });
      }
      image = sharp(frame.bytes);
    } else {
      const { pixels, channels, width, height } = decodeNative(attrs, frame.bytes, options.window);
      image = sharp(pixels, { raw: { width, height, channels } });
    }
    if (options.viewport) {
      image = image.resize(options.viewport.columns, options.viewport.rows, { fit: 'inside' });
    }
    try {
      return options.mediaType === 'image/png'
        ? await image.png().toBuffer()
        : await image.jpeg({ quality: options.quality ?? 90 }).toBuffer();
    } catch (cause) {
      throw new PacsError('CANNOT_RENDER', 'the pixel data could not be encoded', { cause });
    }
  }
}

function decodeNative(
  attrs: DicomJsonDataset,
  bytes: Buffer,
  requestedWindow: { center: number; width: number } | undefined,
): { pixels: Buffer; channels: 1 | 3; width: number; height: number } {
  const rows = num(attrs, '00280010') ?? 0;
  const columns = num(attrs, '00280011') ?? 0;
  const samples = num(attrs, '00280002') ?? 1;
  const bitsAllocated = num(attrs, '00280100') ?? 8;
  const bitsStored = num(attrs, '00280101') ?? bitsAllocated;
  const signed = num(attrs, '00280103') === 1;
  const photometric = str(attrs, '00280004') ?? 'MONOCHROME2';
  const count = rows * columns;
  if (count === 0) throw new PacsError('CANNOT_RENDER', 'Rows or Columns missing');
  if (photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2') {
    if (samples !== 1 || (bitsAllocated !== 8 && bitsAllocated !== 16 && bitsAllocated !== 32)) {
      throw new PacsError('CANNOT_RENDER', 'unsupported monochrome pixel layout', {
        details: { bitsAllocated },
      });
    }
    const slope = num(attrs, '00281053') ?? 1;
    const intercept = num(attrs, '00281052') ?? 0;
    const raw = new Float64Array(count);
    const shift = 32 - bitsStored;
    for (let i = 0; i < count; i++) {
      let v: number;
      if (bitsAllocated === 8) v = bytes[i] ?? 0;
      else if (bitsAllocated === 16) v = bytes.readUInt16LE(i * 2);
      else v = bytes.readUInt32LE(i * 4);
      // Keep only Bits Stored, sign-extending when Pixel Representation is 1 (PS3.5 8.1.1).
      v = signed ? (v << shift) >> shift : bitsStored < 32 ? v & (2 ** bitsStored - 1) : v;
      raw[i] = v * slope + intercept;
    }
    let center = requestedWindow?.center ?? num(attrs, '00281050');
    let width = requestedWindow?.width ?? num(attrs, '00281051');
    if (center === undefined || width === undefined || width < 1) {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const v of raw) {
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
      const v = raw[i] as number;
      let y = v <= low ? 0 : v > high ? 255 : ((v - (center - 0.5)) / (width - 1) + 0.5) * 255;
      if (photometric === 'MONOCHROME1') y = 255 - y;
      out[i] = Math.round(y);
    }
    return { pixels: out, channels: 1, width: columns, height: rows };
  }
  if (bitsAllocated !== 8 || samples !== 3) {
    throw new PacsError('CANNOT_RENDER', 'unsupported color pixel layout', {
      details: { photometric, bitsAllocated },
    });
  }
  const planar = num(attrs, '00280006') === 1;
  const out = Buffer.allocUnsafe(count * 3);
  if (photometric === 'YBR_FULL_422') {
    // Two pixels share Cb and Cr: Y0 Y1 Cb Cr (PS3.3 C.7.6.3.1.2).
    for (let p = 0; p < count; p += 2) {
      const base = p * 2;
      const cb = bytes[base + 2] ?? 128;
      const cr = bytes[base + 3] ?? 128;
      ybrToRgb(bytes[base] ?? 0, cb, cr, out, p * 3);
      if (p + 1 < count) ybrToRgb(bytes[base + 1] ?? 0, cb, cr, out, (p + 1) * 3);
    }
    return { pixels: out, channels: 3, width: columns, height: rows };
  }
  if (photometric !== 'RGB' && photometric !== 'YBR_FULL') {
    throw new PacsError('CANNOT_RENDER', 'unsupported photometric interpretation', {
      details: { photometric },
    });
  }
  for (let i = 0; i < count; i++) {
    const a = planar ? (bytes[i] ?? 0) : (bytes[i * 3] ?? 0);
    const b = planar ? (bytes[count + i] ?? 0) : (bytes[i * 3 + 1] ?? 0);
    const c = planar ? (bytes[2 * count + i] ?? 0) : (bytes[i * 3 + 2] ?? 0);
    if (photometric === 'RGB') {
      out[i * 3] = a;
      out[i * 3 + 1] = b;
      out[i * 3 + 2] = c;
    } else ybrToRgb(a, b, c, out, i * 3);
  }
  return { pixels: out, channels: 3, width: columns, height: rows };
}

/** YCbCr full range to RGB (PS3.3 C.7.6.3.1.2). */
function ybrToRgb(y: number, cb: number, cr: number, out: Buffer, at: number): void {
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  out[at] = clamp(y + 1.402 * (cr - 128));
  out[at + 1] = clamp(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128));
  out[at + 2] = clamp(y + 1.772 * (cb - 128));
}
