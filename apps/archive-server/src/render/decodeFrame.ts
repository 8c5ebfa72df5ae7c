import { PacsError } from '@pacskit/dicom';
import sharp from 'sharp';
import { decodeRleFrame } from '../part10/decodeRleFrame.js';
import type { PixelLayout } from './PixelLayout.js';
import {
  type CodecFrameInfo,
  loadCharls,
  loadJpegLossless,
  loadOpenJpeg,
  loadOpenJph,
  type WasmFrameDecoder,
} from './wasmCodecs.js';

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
 * Decoding runs on the main thread. Measured here on a 512×512 frame: HTJ2K 12 ms, JPEG-LS 16 ms,
 * JPEG Lossless 28 ms, JPEG 2000 38 ms, against 19 ms for sharp's PNG encode that follows. That
 * stalls the event loop for one frame's decode, acceptable for thumbnails and single renders; a
 * worker pool is the next step if rendering large multi-frame series under ingest load matters.
 */
export async function decodeFrame(
  transferSyntaxUID: string,
  encapsulated: boolean,
  frame: Buffer,
  layout: PixelLayout,
): Promise<{ bytes: Buffer; layout: PixelLayout }> {
  if (!encapsulated) return { bytes: frame, layout };
  if (transferSyntaxUID === rleLossless) {
    // Decoded RLE is interleaved whatever Planar Configuration says (PS3.5 G.2).
    return { bytes: decodeRleFrame(frame, layout), layout: { ...layout, planarConfiguration: 0 } };
  }
  if (jpegBaseline.has(transferSyntaxUID)) return decodeBaselineJpeg(frame, layout);
  if (jpegLossless.has(transferSyntaxUID)) return decodeJpegLossless(frame, layout);
  if (jpegLs.has(transferSyntaxUID)) {
    const module = await loadCharls();
    return decodeWithWasm(frame, layout, module.JpegLSDecoder, 'JPEG-LS');
  }
  if (jpeg2000.has(transferSyntaxUID)) {
    const module = await loadOpenJpeg();
    return decodeWithWasm(frame, layout, module.J2KDecoder, 'JPEG 2000');
  }
  if (htj2k.has(transferSyntaxUID)) {
    const module = await loadOpenJph();
    return decodeWithWasm(frame, layout, module.HTJ2KDecoder, 'HTJ2K');
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
    const { data, info } = await sharp(frame).raw().toBuffer({ resolveWithObject: true });
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

async function decodeJpegLossless(
  frame: Buffer,
  layout: PixelLayout,
): Promise<{ bytes: Buffer; layout: PixelLayout }> {
  const Decoder = await loadJpegLossless();
  const bytesPerSample = layout.bitsAllocated <= 8 ? 1 : 2;
  let decoded: Uint8Array | Uint16Array;
  try {
    decoded = new Decoder().decode(
      frame.buffer as ArrayBuffer,
      frame.byteOffset,
      frame.length,
      bytesPerSample,
    );
  } catch (cause) {
    throw new PacsError('CANNOT_RENDER', 'the JPEG Lossless frame could not be decoded', { cause });
  }
  const bytes = Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength);
  checkLength(bytes, layout, bytesPerSample, 'JPEG Lossless');
  return { bytes, layout: { ...layout, bitsAllocated: bytesPerSample * 8, planarConfiguration: 0 } };
}

function decodeWithWasm(
  frame: Buffer,
  layout: PixelLayout,
  Decoder: (new () => WasmFrameDecoder) | undefined,
  codecName: string,
): { bytes: Buffer; layout: PixelLayout } {
  if (!Decoder) throw new PacsError('CANNOT_RENDER', `the ${codecName} decoder did not load`);
  const decoder = new Decoder();
  let info: CodecFrameInfo;
  let bytes: Buffer;
  let interleaveMode: number | undefined;
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    info = decoder.getFrameInfo();
    interleaveMode = decoder.getInterleaveMode?.();
    bytes = Buffer.from(decoder.getDecodedBuffer());
  } catch (cause) {
    // Emscripten throws a number (a pointer) for C++ exceptions; the frame is simply bad.
    throw new PacsError('CANNOT_RENDER', `the ${codecName} frame could not be decoded`, {
      cause: cause instanceof Error ? cause : undefined,
    });
  } finally {
    decoder.delete?.();
  }
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
      planarConfiguration: interleaveMode === 0 && info.componentCount > 1 ? 1 : 0,
      // OpenJPEG and OpenJPH undo the reversible/irreversible colour transform themselves.
      photometricInterpretation: photometric === 'YBR_RCT' || photometric === 'YBR_ICT' ? 'RGB' : photometric,
    },
  };
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
