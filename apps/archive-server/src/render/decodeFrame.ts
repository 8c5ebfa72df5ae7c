import { PacsError } from '@pacskit/dicom';
import sharp from 'sharp';
import { decodeRleFrame } from '../part10/decodeRleFrame.js';
import type { CodecFrameInfo, CodecWorkerPool, FrameCodec } from './CodecWorkerPool.js';
import type { PixelLayout } from './PixelLayout.js';

/** Transfer syntaxes by codec (PS3.5 A.4, PS3.6 Annex A). */
const jpegBaseline = new Set(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51']);
const jpegLossless = new Set(['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']);
const jpegLs = new Set(['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81']);
const jpeg2000 = new Set(['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91']);
const htj2k = new Set(['1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.202', '1.2.840.10008.1.2.4.203']);
const rleLossless = '1.2.840.10008.1.2.5';

/**
 * Decodes one frame to native little-endian samples and says how they are laid out now. Native
 * frames (already little endian from RetrieveService.frames) pass through. Decoders may change the
 * layout: colour JPEG 2000 with a multi-component transform comes out RGB, RLE and JPEG Lossless
 * come out sample-interleaved, and a JPEG 2000 code stream's own signedness wins over Pixel
 * Representation (as pydicom and GDCM do for files where the two disagree).
 *
 * RLE and 8-bit JPEG decode here (cheap, or already on sharp's thread pool); JPEG Lossless,
 * JPEG-LS, JPEG 2000 and HTJ2K on `pool`'s worker threads (CodecWorkerPool says why).
 */
export async function decodeFrame(
  transferSyntaxUID: string,
  encapsulated: boolean,
  frame: Buffer,
  layout: PixelLayout,
  pool: CodecWorkerPool,
): Promise<{ bytes: Buffer; layout: PixelLayout }> {
  if (!encapsulated) return { bytes: frame, layout };
  if (transferSyntaxUID === rleLossless) {
    // Decoded RLE is interleaved whatever Planar Configuration says (PS3.5 G.2).
    return { bytes: decodeRleFrame(frame, layout), layout: { ...layout, planarConfiguration: 0 } };
  }
  if (jpegBaseline.has(transferSyntaxUID)) return decodeBaselineJpeg(frame, layout);
  if (jpegLossless.has(transferSyntaxUID)) {
    const bytesPerSample = layout.bitsAllocated <= 8 ? 1 : 2;
    const { bytes } = await pool.decode('jpeg-lossless', frame, bytesPerSample);
    checkLength(bytes, layout, bytesPerSample, 'JPEG Lossless');
    return { bytes, layout: { ...layout, bitsAllocated: bytesPerSample * 8, planarConfiguration: 0 } };
  }
  const codec = wasmCodecOf(transferSyntaxUID);
  if (codec) {
    const { bytes, info } = await pool.decode(codec.codec, frame, layout.bitsAllocated <= 8 ? 1 : 2);
    return decodedLayout(bytes, info as CodecFrameInfo, layout, codec.name);
  }
  throw new PacsError('CANNOT_RENDER', 'rendering this compressed transfer syntax is not supported', {
    details: { transferSyntaxUID },
  });
}

/**
 * Baseline and extended (8-bit) JPEG through sharp's libjpeg-turbo, which also undoes the YCbCr
 * transform, so colour comes out RGB. 12-bit extended JPEG (Process 4) is beyond libjpeg-turbo's
 * 8-bit build and is refused.
 */
async function decodeBaselineJpeg(
  frame: Buffer,
  layout: PixelLayout,
): Promise<{ bytes: Buffer; layout: PixelLayout }> {
  if (layout.bitsAllocated > 8 && layout.samplesPerPixel === 1 && (layout.bitsStored ?? 8) > 8) {
    throw new PacsError('CANNOT_RENDER', '12-bit JPEG (Process 4) is not supported for rendering', {
      details: { bitsStored: layout.bitsStored },
    });
  }
  try {
    const source =
      layout.photometricInterpretation === 'RGB' && layout.samplesPerPixel === 3
        ? markUntransformedRgb(frame)
        : frame;
    const { data, info } = await sharp(source).raw().toBuffer({ resolveWithObject: true });
    return {
      bytes: data,
      layout: {
        ...layout,
        rows: info.height,
        columns: info.width,
        samplesPerPixel: info.channels,
        bitsAllocated: 8,
        bitsStored: 8,
        planarConfiguration: 0,
        photometricInterpretation: info.channels === 3 ? 'RGB' : layout.photometricInterpretation,
      },
    };
  } catch (cause) {
    throw new PacsError('CANNOT_RENDER', 'the JPEG frame could not be decoded', { cause });
  }
}

function wasmCodecOf(transferSyntaxUID: string): { codec: FrameCodec; name: string } | undefined {
  if (jpegLs.has(transferSyntaxUID)) return { codec: 'charls', name: 'JPEG-LS' };
  if (jpeg2000.has(transferSyntaxUID)) return { codec: 'openjpeg', name: 'JPEG 2000' };
  if (htj2k.has(transferSyntaxUID)) return { codec: 'openjph', name: 'HTJ2K' };
  return undefined;
}

function decodedLayout(
  bytes: Buffer,
  info: CodecFrameInfo,
  layout: PixelLayout,
  codecName: string,
): { bytes: Buffer; layout: PixelLayout } {
  if (
    info.width !== layout.columns ||
    info.height !== layout.rows ||
    info.componentCount !== layout.samplesPerPixel
  ) {
    throw new PacsError(
      'CANNOT_RENDER',
      `the ${codecName} frame does not match Rows, Columns or Samples per Pixel`,
      {
        details: { width: info.width, height: info.height, components: info.componentCount },
      },
    );
  }
  const bytesPerSample = info.bitsPerSample <= 8 ? 1 : 2;
  checkLength(bytes, layout, bytesPerSample, codecName);
  const photometric = layout.photometricInterpretation;
  return {
    bytes,
    layout: {
      ...layout,
      bitsAllocated: bytesPerSample * 8,
      bitsStored: Math.min(info.bitsPerSample, bytesPerSample * 8),
      pixelRepresentation: info.isSigned === undefined ? layout.pixelRepresentation : info.isSigned ? 1 : 0,
      // CharLS leaves non-interleaved scans planar; the JPEG 2000 decoders always interleave.
      planarConfiguration: info.interleaveMode === 0 && info.componentCount > 1 ? 1 : 0,
      // OpenJPEG and OpenJPH undo the reversible/irreversible colour transform themselves.
      photometricInterpretation: photometric === 'YBR_RCT' || photometric === 'YBR_ICT' ? 'RGB' : photometric,
    },
  };
}

/** APP14 "Adobe", version 100, no flags, transform 0: the components are not YCbCr. */
const adobeNoTransform = Buffer.from([
  0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00,
]);

/**
 * libjpeg takes a 3-component JPEG without a JFIF or Adobe marker for YCbCr, while DICOM's RGB
 * says the components were never transformed (PS3.5 8.2.1; pydicom's SC_jpeg_no_color_transform).
 * An Adobe marker with transform 0 tells libjpeg so. Subsampled chroma only makes sense for YCbCr,
 * so a subsampled "RGB" frame (GDCM's SC_rgb_jpeg_lossy_gdcm) is left to be converted.
 */
function markUntransformedRgb(frame: Buffer): Buffer {
  let position = 2;
  while (position + 4 <= frame.length && frame[position] === 0xff) {
    const marker = frame[position + 1] as number;
    if (marker === 0xda) break; // start of scan: no more header markers
    if (marker === 0xe0 || marker === 0xee) return frame; // JFIF or Adobe: libjpeg knows
    if (marker >= 0xc0 && marker <= 0xc3 && position + 10 <= frame.length) {
      const components = frame[position + 9] as number;
      const sampling = new Set<number | undefined>();
      for (let k = 0; k < components; k++) sampling.add(frame[position + 11 + 3 * k]);
      if (sampling.size > 1) return frame;
    }
    position += 2 + frame.readUInt16BE(position + 2);
  }
  return Buffer.concat([frame.subarray(0, 2), adobeNoTransform, frame.subarray(2)]);
}

function checkLength(bytes: Buffer, layout: PixelLayout, bytesPerSample: number, codecName: string): void {
  const expected = layout.rows * layout.columns * layout.samplesPerPixel * bytesPerSample;
  if (bytes.length < expected) {
    throw new PacsError(
      'CANNOT_RENDER',
      `the ${codecName} frame decoded to fewer samples than Rows × Columns`,
      {
        details: { decodedBytes: bytes.length, expectedBytes: expected },
      },
    );
  }
}
