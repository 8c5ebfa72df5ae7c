import type { DicomJsonDataset } from '@pacskit/dicom';
import { PacsError } from '@pacskit/dicom';
import sharp, { type Sharp } from 'sharp';
import { CodecWorkerPool } from '../render/CodecWorkerPool.js';
import { decodeFrame } from '../render/decodeFrame.js';
import { PaletteColorLut, paletteDataTags } from '../render/PaletteColorLut.js';
import { pixelLayoutOf } from '../render/PixelLayout.js';
import { toDisplayPixels } from '../render/toDisplayPixels.js';
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

function num(dataset: DicomJsonDataset, tag: string, index = 0): number | undefined {
  const v = dataset[tag]?.Value?.[index];
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined;
}

/**
 * Rendered and thumbnail resources (PS3.18 10.4.1.1.3/.6) and WADO-URI images. Frames of every
 * common transfer syntax are decoded (native, RLE, baseline JPEG, JPEG Lossless, JPEG-LS,
 * JPEG 2000, HTJ2K: src/render/decodeFrame.ts), then MONOCHROME1/2 go through rescale and the VOI
 * window (the request's, else the instance's, else min–max), PALETTE COLOR through its lookup
 * table, and RGB/YBR to RGB. 12-bit JPEG and segmented palettes fail with CANNOT_RENDER (406).
 */
export class RenderService {
  constructor(
    private readonly retrieve: RetrieveService,
    private readonly codecs = new CodecWorkerPool(),
  ) {}

  async render(record: InstanceRecord, options: RenderOptions): Promise<Buffer> {
    const attrs = record.instance;
    const frameNumber = options.frameNumber ?? 1;
    if (!record.pixelData) throw new PacsError('CANNOT_RENDER', 'the instance has no pixel data');
    const [frame] = await this.retrieve.frames(record, [frameNumber]);
    if (!frame) throw new PacsError('NOT_FOUND', 'no such frame');
    const decoded = await decodeFrame(
      record.transferSyntaxUID,
      record.pixelData.encapsulated,
      frame.bytes,
      pixelLayoutOf(attrs),
      this.codecs,
    );
    const instanceCenter = num(attrs, '00281050');
    const instanceWidth = num(attrs, '00281051');
    const { pixels, channels, width, height } = toDisplayPixels(decoded.layout, decoded.bytes, {
      rescale: { slope: num(attrs, '00281053') ?? 1, intercept: num(attrs, '00281052') ?? 0 },
      window:
        options.window ??
        (instanceCenter !== undefined && instanceWidth !== undefined
          ? { center: instanceCenter, width: instanceWidth }
          : undefined),
      ...(decoded.layout.photometricInterpretation === 'PALETTE COLOR'
        ? { palette: await this.palette(record) }
        : {}),
    });
    let image: Sharp = sharp(pixels, { raw: { width, height, channels } });
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

  /** The palette's LUT Data are binary, so not in the indexed attributes: inline in the metadata, else bulk data. */
  private async palette(record: InstanceRecord): Promise<PaletteColorLut> {
    const metadata = JSON.parse(record.metadata) as DicomJsonDataset;
    const lutData = new Map<string, Uint8Array>();
    for (const tag of paletteDataTags) {
      const attribute = metadata[tag];
      if (attribute?.InlineBinary !== undefined)
        lutData.set(tag, Buffer.from(attribute.InlineBinary, 'base64'));
      else if (attribute?.BulkDataURI !== undefined)
        lutData.set(tag, await this.retrieve.bulkData(record, tag));
    }
    return PaletteColorLut.from(metadata, lutData);
  }
}
