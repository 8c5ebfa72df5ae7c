import { isPacsError } from '@pacskit/dicom';
import { describe, expect, it } from 'vitest';
import type { PixelLayout } from './PixelLayout.js';
import { toDisplayPixels } from './toDisplayPixels.js';

const grey: PixelLayout = {
  rows: 1,
  columns: 4,
  samplesPerPixel: 1,
  bitsAllocated: 16,
  bitsStored: 12,
  pixelRepresentation: 1,
  planarConfiguration: 0,
  photometricInterpretation: 'MONOCHROME2',
};

function samples16(values: number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 2);
  for (const [i, value] of values.entries()) bytes.writeUInt16LE(value & 0xffff, i * 2);
  return bytes;
}

describe('toDisplayPixels', () => {
  it('sign-extends from Bits Stored, rescales, windows, and inverts MONOCHROME1', () => {
    // 0xFFF in 12 bits is -1; slope 2, intercept 10 → 8. High bits above Bits Stored are ignored.
    const bytes = samples16([0xfff, 0xf000 | 0x005, 0x7ff, 0x800]);
    const options = { rescale: { slope: 2, intercept: 10 }, window: { center: 8, width: 4 } };
    const two = toDisplayPixels(grey, bytes, options);
    // Modality values 8, 20, 4104, -4086; window 8/4 maps 8 to (0.5/3 + 0.5) × 255 = 170 (C.11.2.1.2.1).
    expect([...two.pixels]).toEqual([170, 255, 255, 0]);
    const one = toDisplayPixels({ ...grey, photometricInterpretation: 'MONOCHROME1' }, bytes, options);
    expect([...one.pixels]).toEqual([85, 0, 0, 255]);
  });

  it('refuses frames shorter than Rows × Columns, grey or colour, with CANNOT_RENDER', () => {
    const short = Buffer.alloc(5);
    const colour: PixelLayout = { ...grey, samplesPerPixel: 3, photometricInterpretation: 'RGB' };
    for (const layout of [grey, colour]) {
      let error: unknown;
      try {
        toDisplayPixels(layout, short, { rescale: { slope: 1, intercept: 0 }, window: undefined });
      } catch (thrown) {
        error = thrown;
      }
      expect(isPacsError(error) && error.code).toBe('CANNOT_RENDER');
    }
  });
});
