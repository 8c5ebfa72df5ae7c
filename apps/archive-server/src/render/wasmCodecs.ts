import { createRequire } from 'node:module';

/** What the Cornerstone codec builds report about a decoded frame (their embind `FrameInfo`). */
export interface CodecFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

/** The embind decoders of codec-charls, codec-openjpeg and codec-openjph share this shape. */
export interface WasmFrameDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): CodecFrameInfo;
  /** A view into the WASM heap: copy it before the next decode. */
  getDecodedBuffer(): Uint8Array;
  /** CharLS only: 0 none (planar output), 1 line, 2 sample (PS3.5 A.4.3, ISO 14495-1). */
  getInterleaveMode?(): number;
  delete?(): void;
}

export interface HtJ2kEncoder {
  getDecodedBuffer(frameInfo: CodecFrameInfo & { isUsingColorTransform: boolean }): Uint8Array;
  setQuality(lossless: boolean, quantizationStep: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete?(): void;
}

interface CodecModule {
  JpegLSDecoder?: new () => WasmFrameDecoder;
  J2KDecoder?: new () => WasmFrameDecoder;
  HTJ2KDecoder?: new () => WasmFrameDecoder;
  HTJ2KEncoder?: new () => HtJ2kEncoder;
}

export interface JpegLosslessDecoder {
  decode(
    buffer: ArrayBuffer,
    offset: number,
    length: number,
    bytesPerSample: number,
  ): Uint8Array | Uint16Array;
  numComp: number;
}

interface EmscriptenOptions {
  print: (text: string) => void;
  printErr: (text: string) => void;
}

const require = createRequire(import.meta.url);

/**
 * Loads an Emscripten factory once: the WASM is compiled on first use (10–25 ms here) and the
 * instance kept, so a server that never sees JPEG-LS never pays for CharLS.
 */
function lazyModule(specifier: string): () => Promise<CodecModule> {
  let loaded: Promise<CodecModule> | undefined;
  return () => {
    if (!loaded) {
      const factory = require(specifier) as (options: EmscriptenOptions) => Promise<CodecModule>;
      // OpenJPEG prints [INFO] lines per frame; the server's stdout carries its JSON log only.
      loaded = factory({ print: () => {}, printErr: () => {} });
      // A failed compile is retried on the next request rather than cached forever.
      loaded.catch(() => {
        loaded = undefined;
      });
    }
    return loaded;
  };
}

export const loadCharls = lazyModule('@cornerstonejs/codec-charls/decodewasmjs');
export const loadOpenJpeg = lazyModule('@cornerstonejs/codec-openjpeg/decodewasmjs');
export const loadOpenJph = lazyModule('@cornerstonejs/codec-openjph/wasmjs');

let jpegLosslessDecoder: (new () => JpegLosslessDecoder) | undefined;
/** jpeg-lossless-decoder-js is plain JavaScript (no WASM); loaded on first use all the same. */
export async function loadJpegLossless(): Promise<new () => JpegLosslessDecoder> {
  jpegLosslessDecoder ??= (
    (await import('@cornerstonejs/jpeg-lossless-decoder-js')) as unknown as {
      Decoder: new () => JpegLosslessDecoder;
    }
  ).Decoder;
  return jpegLosslessDecoder;
}
