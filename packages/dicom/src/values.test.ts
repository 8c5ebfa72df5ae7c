import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DicomDateTime,
  type DicomTime,
  formatDate,
  formatDateTime,
  formatRange,
  formatTime,
  parseDate,
  parseDateRange,
  parseDateTime,
  parseDateTimeRange,
  parseTime,
  parseTimeRange,
} from './dateTimeValues.js';
import {
  formatAge,
  formatDecimalString,
  formatIntegerString,
  parseAge,
  parseDecimalString,
  parseIntegerString,
} from './numberValues.js';
import { PacsError } from './pacsError.js';
import { formatPersonName, parsePersonName, toPersonNameValue } from './personName.js';

const throwsPacsError = (action: () => unknown): void => {
  expect(action).toThrow(PacsError);
};

const dateArbitrary = fc
  .date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
  .map((date) => ({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }));

const fractionArbitrary = fc.stringMatching(/^\d{1,6}$/);

const timeArbitrary: fc.Arbitrary<DicomTime> = fc
  .record({
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fractionArbitrary,
    precision: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ hour, minute, second, fraction, precision }) => {
    const time: DicomTime = { hour };
    if (precision >= 1) time.minute = minute;
    if (precision >= 2) time.second = second;
    if (precision >= 3) time.fraction = fraction;
    return time;
  });

const offsetArbitrary = fc.integer({ min: -12 * 60, max: 14 * 60 }).map((minutes) => {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}${String(absolute % 60).padStart(2, '0')}`;
});

const dateTimeArbitrary: fc.Arbitrary<DicomDateTime> = fc
  .record({
    date: dateArbitrary,
    time: timeArbitrary,
    precision: fc.integer({ min: 0, max: 2 }),
    offset: fc.option(offsetArbitrary, { nil: undefined }),
  })
  .map(({ date, time, precision, offset }) => {
    const value: DicomDateTime = { year: date.year };
    if (precision >= 1) value.month = date.month;
    if (precision >= 2) {
      value.day = date.day;
      Object.assign(value, time);
    }
    if (offset !== undefined) value.offset = offset;
    return value;
  });

describe('DA, TM, DT', () => {
  it('format ∘ parse is the identity on valid values, both ways', () => {
    fc.assert(
      fc.property(dateArbitrary, (date) => {
        expect(parseDate(formatDate(date))).toEqual(date);
        expect(formatDate(parseDate(formatDate(date)))).toBe(formatDate(date));
      }),
    );
    fc.assert(
      fc.property(timeArbitrary, (time) => {
        expect(parseTime(formatTime(time))).toEqual(time);
      }),
    );
    fc.assert(
      fc.property(dateTimeArbitrary, (value) => {
        expect(parseDateTime(formatDateTime(value))).toEqual(value);
      }),
    );
  });

  it('rejects invalid values with a PacsError', () => {
    for (const text of [
      '',
      '2024',
      '2024-01-01',
      '20240230',
      '20231301',
      '20230229',
      '2024010',
      'abcdefgh',
    ]) {
      throwsPacsError(() => parseDate(text));
    }
    for (const text of ['', '2', '24', '2400', '1260', '126061', '120000.', '120000.1234567', '12:00:00']) {
      throwsPacsError(() => parseTime(text));
    }
    for (const text of [
      '',
      '202',
      '20241301',
      '2024010124',
      '20240101+1500',
      '20240101-1300',
      '20240101+0160',
    ]) {
      throwsPacsError(() => parseDateTime(text));
    }
    fc.assert(
      fc.property(
        fc.string().filter((text) => !/^\d{8}$/.test(text)),
        (text) => throwsPacsError(() => parseDate(text)),
      ),
    );
  });

  it('does not echo the rejected value in error messages (it may be a birth date or an age)', () => {
    for (const action of [
      () => parseDate('19801301'),
      () => parseDateTime('19801301'),
      () => parseAge('045X'),
    ]) {
      try {
        action();
        expect.unreachable();
      } catch (error) {
        expect((error as PacsError).message).not.toMatch(/1980|045/);
      }
    }
  });

  it('accepts leap days and leap seconds', () => {
    expect(parseDate('20240229')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseDate('20000229').day).toBe(29);
    throwsPacsError(() => parseDate('19000229'));
    expect(parseTime('235960').second).toBe(60);
  });

  it('parses ranges, open at either end (PS3.4 C.2.2.2.5)', () => {
    expect(parseDateRange('20240101-20240131')).toEqual({
      start: { year: 2024, month: 1, day: 1 },
      end: { year: 2024, month: 1, day: 31 },
    });
    expect(parseDateRange('20240101-')).toEqual({ start: { year: 2024, month: 1, day: 1 } });
    expect(parseDateRange('-20240131')).toEqual({ end: { year: 2024, month: 1, day: 31 } });
    expect(parseTimeRange('0800-123000.5')).toEqual({
      start: { hour: 8, minute: 0 },
      end: { hour: 12, minute: 30, second: 0, fraction: '5' },
    });
    throwsPacsError(() => parseDateRange('-'));
    throwsPacsError(() => parseDateRange('20240101'));
    throwsPacsError(() => parseDateRange('1-2-3'));
    expect(parseDateTimeRange('20240101120000-0500-20240102')).toEqual({
      start: { year: 2024, month: 1, day: 1, hour: 12, minute: 0, second: 0, offset: '-0500' },
      end: { year: 2024, month: 1, day: 2 },
    });
    expect(parseDateTimeRange('2024-2025')).toEqual({ start: { year: 2024 }, end: { year: 2025 } });
    expect(formatRange(parseDateRange('20240101-'), formatDate)).toBe('20240101-');
  });
});

describe('PN', () => {
  const component = fc.stringMatching(/^[A-Za-z0-9 .'ÀÉçÄ山田やまだ]{0,8}$/);
  const group = fc
    .array(component, { minLength: 1, maxLength: 5 })
    .map((parts) => parts.join('^').replace(/\^+$/, ''));

  it('format ∘ parse is the identity on canonical names (no trailing ^ or =)', () => {
    fc.assert(
      fc.property(fc.array(group, { minLength: 1, maxLength: 3 }), (groups) => {
        const text = groups.join('=').replace(/=+$/, '');
        expect(formatPersonName(parsePersonName(text))).toBe(text);
      }),
    );
  });

  it('splits groups and components', () => {
    expect(parsePersonName('Yamada^Tarou=山田^太郎=やまだ^たろう')).toEqual({
      alphabetic: {
        familyName: 'Yamada',
        givenName: 'Tarou',
        middleName: '',
        namePrefix: '',
        nameSuffix: '',
      },
      ideographic: { familyName: '山田', givenName: '太郎', middleName: '', namePrefix: '', nameSuffix: '' },
      phonetic: { familyName: 'やまだ', givenName: 'たろう', middleName: '', namePrefix: '', nameSuffix: '' },
    });
    expect(parsePersonName('Adams^John Robert Quincy^^Rev.^B.A. M.Div.').alphabetic?.nameSuffix).toBe(
      'B.A. M.Div.',
    );
    expect(parsePersonName('=山田^太郎').alphabetic).toBeUndefined();
    expect(formatPersonName(parsePersonName('Doe^Jane^^^'))).toBe('Doe^Jane');
    expect(parsePersonName({ Alphabetic: 'Doe^Jane', Phonetic: 'doe' }).phonetic?.familyName).toBe('doe');
    expect(toPersonNameValue(parsePersonName('Yamada^Tarou=山田^太郎'))).toEqual({
      Alphabetic: 'Yamada^Tarou',
      Ideographic: '山田^太郎',
    });
  });

  it('rejects too many groups or components, backslashes, control characters and long groups', () => {
    for (const text of ['a=b=c=d', 'a^b^c^d^e^f', 'a\\b', 'a\nb', 'x'.repeat(65)]) {
      throwsPacsError(() => parsePersonName(text));
    }
  });
});

describe('IS, DS, AS', () => {
  it('IS: format ∘ parse is the identity; out of range and non-integers are rejected', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (value) => {
        expect(parseIntegerString(formatIntegerString(value))).toBe(value);
      }),
    );
    for (const text of ['', '1.5', '2147483648', '-2147483649', '1e3', '0x10', '+']) {
      throwsPacsError(() => parseIntegerString(text));
    }
    expect(parseIntegerString(' +42 ')).toBe(42);
  });

  it('DS: formats within 16 characters, parses back close to the number, and is stable', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = formatDecimalString(value);
        expect(text.length).toBeLessThanOrEqual(16);
        const parsed = parseDecimalString(text);
        if (value === 0)
          expect(parsed).toBe(value); // keeps -0
        // 16 characters leave at least 9 significant digits ("-1.23456789e-308").
        else expect(Math.abs(parsed - value) / Math.abs(value)).toBeLessThan(1e-8);
        expect(formatDecimalString(parsed)).toBe(text);
      }),
    );
    expect(formatDecimalString(0.1)).toBe('0.1');
    expect(formatDecimalString(1 / 3)).toBe('0.33333333333333');
    expect(parseDecimalString(' -1.5e-3')).toBe(-0.0015);
    for (const text of ['', 'abc', '1.2.3', '12345678901234567', 'NaN', 'Infinity', '1e999']) {
      throwsPacsError(() => parseDecimalString(text));
    }
    throwsPacsError(() => formatDecimalString(Number.NaN));
  });

  it('AS: format ∘ parse is the identity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('D', 'W', 'M', 'Y' as const),
        (value, unit) => {
          const text = formatAge({ value, unit });
          expect(text).toMatch(/^\d{3}[DWMY]$/);
          expect(parseAge(text)).toEqual({ value, unit });
        },
      ),
    );
    for (const text of ['', '45Y', '045y', '0450Y', '045']) throwsPacsError(() => parseAge(text));
  });
});
