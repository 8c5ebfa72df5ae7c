import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PacsError } from '@pacskit/dicom';

/** The decoders that run off the main thread. */
export type FrameCodec = 'charls' | 'openjpeg' | 'openjph' | 'jpeg-lossless';

/** What a decoder says about the frame it decoded (the codecs' embind `FrameInfo`). */
export interface CodecFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean | undefined;
  /** CharLS only: 0 none (planar output), 1 line, 2 sample (ISO 14495-1). */
  interleaveMode: number | undefined;
}

export interface DecodedCodecFrame {
  /** Native little-endian samples as the codec wrote them. */
  bytes: Buffer;
  /** Undefined for jpeg-lossless-decoder-js, which reports nothing beyond the samples. */
  info: CodecFrameInfo | undefined;
}

interface Task {
  resolve: (frame: DecodedCodecFrame) => void;
  reject: (error: PacsError) => void;
  timer: NodeJS.Timeout;
}

interface PooledWorker {
  worker: Worker;
  pending: Map<number, Task>;
}

type WorkerReply = { id: number; bytes: ArrayBuffer; info?: CodecFrameInfo } | { id: number; error: string };

const require = createRequire(import.meta.url);

/**
 * The worker's code, plain CommonJS so it runs the same from src (Vitest) and dist. Each codec's
 * Emscripten module is compiled once per worker, on first use. OpenJPEG prints [INFO] lines per
 * frame; print/printErr keep them off the server's stdout, which carries the JSON log only.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const modules = new Map();
function load(codec) {
  // A fresh options object per module: Emscripten turns it into the module instance.
  if (!modules.has(codec)) modules.set(codec, require(workerData.paths[codec])({ print() {}, printErr() {} }));
  return modules.get(codec);
}
parentPort.on('message', async ({ id, codec, frame, bytesPerSample }) => {
  try {
    const input = new Uint8Array(frame);
    if (codec === 'jpeg-lossless') {
      const { Decoder } = require(workerData.paths[codec]);
      const out = new Decoder().decode(input.buffer, 0, input.length, bytesPerSample);
      const copy = new Uint8Array(out.buffer, out.byteOffset, out.byteLength).slice();
      parentPort.postMessage({ id, bytes: copy.buffer }, [copy.buffer]);
      return;
    }
    const module = await load(codec);
    const Decoder = codec === 'charls' ? module.JpegLSDecoder : codec === 'openjpeg' ? module.J2KDecoder : module.HTJ2KDecoder;
    const decoder = new Decoder();
    try {
      decoder.getEncodedBuffer(input.length).set(input);
      decoder.decode();
      const frameInfo = decoder.getFrameInfo();
      const info = {
        width: frameInfo.width,
        height: frameInfo.height,
        bitsPerSample: frameInfo.bitsPerSample,
        componentCount: frameInfo.componentCount,
        isSigned: frameInfo.isSigned,
        interleaveMode: decoder.getInterleaveMode ? decoder.getInterleaveMode() : undefined,
      };
      const copy = decoder.getDecodedBuffer().slice();
      // OpenJPEG and OpenJPH return nothing, rather than throw, for a stream they cannot read.
      if (copy.length === 0) throw new Error('the code stream decoded to no samples');
      parentPort.postMessage({ id, bytes: copy.buffer, info }, [copy.buffer]);
    } finally {
      decoder.delete();
    }
  } catch (error) {
    // A WASM abort can leave the module unusable: compile it afresh next time.
    modules.delete(codec);
    // Emscripten throws a number (a pointer) for C++ exceptions.
    parentPort.postMessage({ id, error: typeof error === 'number' ? 'codec exception' : String(error && error.message || error) });
  }
});
`;

/**
 * Decodes JPEG-LS, JPEG 2000, HTJ2K and JPEG Lossless frames on worker threads. Measured here:
 * a 512×512 frame takes 12–38 ms, but a 2048×2048 radiograph 0.4 s (HTJ2K, JPEG-LS) to 4.7 s
 * (JPEG 2000) — far too long to stall the event loop that acknowledges STOW and C-STORE. Workers
 * start on first use, are unref'd (an idle pool never keeps the process alive), and a decode that
 * runs past `timeoutMs` (a decompression bomb) terminates its worker. Bad frames can be slow too:
 * CharLS takes 3.5 s to reject MR_small's JPEG-LS frame cut to a third.
 */
export class CodecWorkerPool {
  private readonly workers: PooledWorker[] = [];
  private nextId = 1;
  private paths: Record<FrameCodec, string> | undefined;

  constructor(
    private readonly size = Math.max(1, Math.min(4, availableParallelism() - 1)),
    private readonly timeoutMs = 60_000,
  ) {}

  decode(codec: FrameCodec, frame: Buffer, bytesPerSample: 1 | 2): Promise<DecodedCodecFrame> {
    const pooled = this.leastBusy();
    const id = this.nextId++;
    // A copy, transferred: the caller's frame may be a view into a larger buffer.
    const copy = new Uint8Array(frame).buffer;
    return new Promise<DecodedCodecFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.discard(pooled, new PacsError('CANNOT_RENDER', 'decoding the frame took too long'));
      }, this.timeoutMs);
      timer.unref();
      pooled.pending.set(id, { resolve, reject, timer });
      pooled.worker.ref();
      pooled.worker.postMessage({ id, codec, frame: copy, bytesPerSample }, [copy]);
    });
  }

  /** Stops every worker; pending decodes fail. */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const pooled of workers)
      this.failAll(pooled, new PacsError('UNAVAILABLE', 'the render pool is closing'));
    await Promise.all(workers.map((pooled) => pooled.worker.terminate()));
  }

  private leastBusy(): PooledWorker {
    if (this.workers.length < this.size) {
      const pooled = this.spawn();
      this.workers.push(pooled);
      return pooled;
    }
    return this.workers.reduce((best, pooled) => (pooled.pending.size < best.pending.size ? pooled : best));
  }

  private spawn(): PooledWorker {
    this.paths ??= {
      charls: require.resolve('@cornerstonejs/codec-charls/decodewasmjs'),
      openjpeg: require.resolve('@cornerstonejs/codec-openjpeg/decodewasmjs'),
      openjph: require.resolve('@cornerstonejs/codec-openjph/wasmjs'),
      'jpeg-lossless': require.resolve('@cornerstonejs/jpeg-lossless-decoder-js'),
    };
    const worker = new Worker(workerSource, { eval: true, workerData: { paths: this.paths } });
    worker.unref();
    const pooled: PooledWorker = { worker, pending: new Map() };
    worker.on('message', (reply: WorkerReply) => {
      const task = pooled.pending.get(reply.id);
      if (!task) return;
      pooled.pending.delete(reply.id);
      clearTimeout(task.timer);
      if (pooled.pending.size === 0) worker.unref();
      if ('error' in reply) {
        task.reject(
          new PacsError('CANNOT_RENDER', 'the frame could not be decoded', {
            details: { codecError: reply.error.slice(0, 200) },
          }),
        );
      } else {
        task.resolve({ bytes: Buffer.from(reply.bytes), info: reply.info });
      }
    });
    const lost = () => this.discard(pooled, new PacsError('CANNOT_RENDER', 'the decoder thread stopped'));
    worker.on('error', lost);
    worker.on('exit', lost);
    return pooled;
  }

  /** Drops a worker (crashed, or stuck on one frame) and fails what was queued on it. */
  private discard(pooled: PooledWorker, error: PacsError): void {
    const index = this.workers.indexOf(pooled);
    if (index >= 0) this.workers.splice(index, 1);
    this.failAll(pooled, error);
    void pooled.worker.terminate();
  }

  private failAll(pooled: PooledWorker, error: PacsError): void {
    for (const task of pooled.pending.values()) {
      clearTimeout(task.timer);
      task.reject(error);
    }
    pooled.pending.clear();
  }
}
