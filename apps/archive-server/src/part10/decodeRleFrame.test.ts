import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pydicomTestFile } from '../testing/testFiles.js';
import { BufferSource } from './ByteSource.js';
import { decodeRleFrame } from './decodeRleFrame.js';
import { readPart10 } from './readPart10.js';

function nativePixels(name: string): Buffer {
  const file = readFileSync(pydicomTestFile(name));
  const pixel = readPart10(new BufferSource(file)).pixelData;
  return file.subarray(pixel?.offset, (pixel?.offset ?? 0) + (pixel?.length ?? 0));
}

function rleFrame(name: string): Buffer {
  const file = readFileSync(pydicomTestFile(name));
  const fragment = readPart10(new BufferSource(file)).pixelData?.fragments[0];
  return file.subarray(fragment?.offset, (fragment?.offset ?? 0) + (fragment?.length ?? 0));
}

describe('decodeRleFrame', () => {
  it('decodes 16-bit MR_small_RLE.dcm to the same pixels as MR_small.dcm', () => {
    const decoded = decodeRleFrame(rleFrame('MR_small_RLE.dcm'), {
      rows: 64,
      columns: 64,
      samplesPerPixel: 1,
      bitsAllocated: 16,
    });
    expect(decoded.equals(nativePixels('MR_small.dcm'))).toBe(true);
  });

  it('decodes 8-bit and 16-bit RGB (SC_rgb_rle*.dcm) interleaved, the 16-bit high bytes equal to the 8-bit values', () => {
    const layout = { rows: 100, columns: 100, samplesPerPixel: 3 };
    const eight = decodeRleFrame(rleFrame('SC_rgb_rle.dcm'), { ...layout, bitsAllocated: 8 });
    const sixteen = decodeRleFrame(rleFrame('SC_rgb_rle_16bit.dcm'), { ...layout, bitsAllocated: 16 });
    expect([...eight.subarray(0, 3)]).toEqual([255, 0, 0]); // the image starts with a red band
    expect([...eight.subarray(eight.length - 3)]).toEqual([255, 255, 255]);
    for (let i = 0; i < eight.length; i++) expect(sixteen[i * 2 + 1]).toBe(eight[i]);
  });
});
