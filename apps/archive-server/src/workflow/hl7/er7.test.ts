import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEr7, component, parseEr7, segment } from './er7.js';
import { MllpDecoder, frameMllp } from './mllp.js';

describe('ER7', () => {
  it('parses MSH numbering, components and escapes', () => {
    const message = parseEr7(
      'MSH|^~\\&|RIS|HOSP|PACS|HOSP|20260115120000||ORM^O01|MSG1|P|2.5\rPID|1||PID-1^^^HOSP||Doe^Jane||19800101|F\rOBR|1||ACC1|CT^CT Chest \\T\\ abdomen\n',
    );
    const msh = segment(message, 'MSH');
    expect(component(message, msh, 1)).toBe('|');
    expect(component(message, msh, 9, 2)).toBe('O01');
    expect(component(message, msh, 10)).toBe('MSG1');
    expect(component(message, segment(message, 'PID'), 5, 2)).toBe('Jane');
    expect(component(message, segment(message, 'OBR'), 4, 2)).toBe('CT Chest & abdomen');
    expect(component(message, segment(message, 'ZZZ'), 4, 2)).toBe('');
    expect(() => parseEr7('PID|1')).toThrow(/MSH/);
    expect(() => parseEr7('MSH|^~\\&|\rpid|x')).toThrow(/segment name/);
  });

  it('round-trips any text through build and parse (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
        const text = buildEr7([
          ['MSH', 'APP', 'FAC', '', '', '20260101', '', ['ORM', 'O01'], 'ID', 'P', '2.5'],
          ['OBX', '1', 'TX', ['', a], '', b],
        ]);
        const parsed = parseEr7(text);
        const obx = segment(parsed, 'OBX');
        expect(component(parsed, obx, 3, 2)).toBe(a.replace(/\r\n|\r|\n/g, '\n'));
        expect(component(parsed, obx, 5)).toBe(b.replace(/\r\n|\r|\n/g, '\n'));
      }),
    );
  });
});

describe('MllpDecoder', () => {
  it('reassembles framed messages however the bytes are chunked (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .string({ minLength: 1, maxLength: 30 })
            .filter((s) => !s.includes('\u000b') && !s.includes('\u001c')),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
        (messages, cuts) => {
          const bytes = Buffer.concat(messages.map(frameMllp));
          const decoder = new MllpDecoder();
          const out: string[] = [];
          let at = 0;
          let i = 0;
          while (at < bytes.length) {
            const size = cuts[i++ % cuts.length]!;
            out.push(...decoder.push(bytes.subarray(at, at + size)));
            at += size;
          }
          expect(out).toEqual(messages);
        },
      ),
    );
  });

  it('refuses a frame larger than its limit', () => {
    const decoder = new MllpDecoder(10);
    expect(() => decoder.push(Buffer.concat([Buffer.from([0x0b]), Buffer.alloc(20, 65)]))).toThrow(
      /too large/,
    );
  });
});
