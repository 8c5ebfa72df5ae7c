import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAccessionNumberFormat } from './accessionNumber.js';

describe('createAccessionNumberFormat', () => {
  it('formats and parses the documented example', () => {
    const format = createAccessionNumberFormat('ACC{YYYY}{MM}{DD}{SEQ:4}');
    const date = new Date(Date.UTC(2026, 0, 2));
    expect(format.format(date, 7)).toBe('ACC202601020007');
    expect(format.parse('ACC202601020007')).toEqual({ year: 2026, month: 1, day: 2, sequence: 7 });
    expect(format.counterKey(date)).toBe('ACC20260102#');
    expect(format.parse("ACC2026010200071' OR '1'='1")).toBeUndefined();
    expect(format.parse('ACC202613020007')).toBeUndefined();
    expect(() => format.format(date, 10_000)).toThrow(/exhausted/);
  });

  it('refuses patterns that could exceed SH or that are ambiguous', () => {
    expect(() => createAccessionNumberFormat('HOSPITAL{YYYY}{MM}{DD}{SEQ:6}')).toThrow(/16/);
    expect(() => createAccessionNumberFormat('A{YYYY}')).toThrow(/SEQ/);
    expect(() => createAccessionNumberFormat('a{SEQ:4}')).toThrow(/outside/);
    expect(() => createAccessionNumberFormat('{SEQ:2}{SEQ:2}')).toThrow(/exactly one/);
  });

  it('round-trips every date and sequence and stays within 16 characters (property)', () => {
    const patterns = ['ACC{YYYY}{MM}{DD}{SEQ:4}', '{YY}{MM}-{SEQ:6}', 'X{SEQ:8}', 'R{DD}{MM}{YYYY}{SEQ:3}'];
    fc.assert(
      fc.property(
        fc.constantFrom(...patterns),
        fc.date({
          min: new Date(Date.UTC(2000, 0, 1)),
          max: new Date(Date.UTC(2099, 11, 31)),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 999 }),
        (pattern, date, sequence) => {
          const format = createAccessionNumberFormat(pattern);
          const value = format.format(date, sequence);
          expect(value.length).toBeLessThanOrEqual(16);
          expect(value).toMatch(/^[A-Z0-9-]+$/);
          const parsed = format.parse(value);
          expect(parsed?.sequence).toBe(sequence);
          if (pattern.includes('{MM}')) expect(parsed?.month).toBe(date.getUTCMonth() + 1);
        },
      ),
    );
  });

  it('never parses arbitrary text it did not produce into a wrong value (property)', () => {
    const format = createAccessionNumberFormat('ACC{YYYY}{MM}{DD}{SEQ:4}');
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        const parsed = format.parse(text);
        if (parsed)
          expect(
            format.format(new Date(Date.UTC(parsed.year!, parsed.month! - 1, parsed.day!)), parsed.sequence),
          ).toBe(text);
      }),
    );
  });
});
