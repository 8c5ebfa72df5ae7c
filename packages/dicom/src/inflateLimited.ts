import type { Inflate, Unzlib } from 'fflate';
import { PacsError } from './pacsError.js';

/** Default largest inflated size of a deflated data set (PS3.5 A.5), a "zip bomb" guard. */
export const defaultMaxInflatedBytes = 1 << 30;

/** Inflates in 64 kB steps, stopping as soon as the output passes `limit`. */
export function inflateLimited(stream: Inflate | Unzlib, compressed: Uint8Array, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  stream.ondata = (chunk) => {
    total += chunk.length;
    if (total > limit) {
      throw new PacsError('DICOM_PARSE_ERROR', `deflated data set inflates to more than ${limit} bytes`, {
        details: { maxInflatedBytes: limit },
      });
    }
    chunks.push(chunk);
  };
  const step = 64 * 1024;
  if (compressed.length === 0) stream.push(compressed, true);
  for (let index = 0; index < compressed.length; index += step) {
    stream.push(compressed.subarray(index, index + step), index + step >= compressed.length);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
