import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';

describe('base64', () => {
  it('agrees with Node Buffer both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(decodeBase64(text)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects text that is not base64', () => {
    for (const text of ['A', 'AB=', '!!!!', 'AAA*', '=AAA', 'A=AA'])
      expect(decodeBase64(text), text).toBeUndefined();
    expect(decodeBase64('AQID\nBA==')).toEqual(new Uint8Array([1, 2, 3, 4]));
  });
});
