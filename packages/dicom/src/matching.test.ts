import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from './dicomJson.js';
import { formatDate } from './dateTimeValues.js';
import { matchAttribute, matchDataset } from './matchDataset.js';
import { parseMatchingKey } from './matchingKey.js';
import { PacsError } from './pacsError.js';
import { toDicomJsonQuery } from './toDicomJsonQuery.js';
import { createUid, isValidUid } from './uid.js';

const candidate: DicomJsonDataset = {
  '00080020': { vr: 'DA', Value: ['20060706'] },
  '00080030': { vr: 'TM', Value: ['090000'] },
  '00080060': { vr: 'CS', Value: ['MR'] },
  '00080061': { vr: 'CS', Value: ['MR', 'SR'] },
  '00080050': { vr: 'SH' },
  '00081030': { vr: 'LO', Value: ['Brain w/o contrast'] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Müller^Jürgen', Ideographic: '山田^太郎' }] },
  '00100020': { vr: 'LO', Value: ['PID-001'] },
  '00100030': { vr: 'DA', Value: ['19700101'] },
  '0020000D': { vr: 'UI', Value: ['1.2.840.113619.2.1'] },
  '00201208': { vr: 'IS', Value: [42] },
  '00080201': { vr: 'SH', Value: ['+0000'] },
  '0040A730': {
    vr: 'SQ',
    Value: [
      { '0040A040': { vr: 'CS', Value: ['TEXT'] }, '0040A160': { vr: 'UT', Value: ['no findings'] } },
      { '0040A040': { vr: 'CS', Value: ['CODE'] }, '0040A168': { vr: 'SQ', Value: [] } },
    ],
  },
  '00400275': {
    vr: 'SQ',
    Value: [{ '00401001': { vr: 'SH', Value: ['RP-7'] }, '00400009': { vr: 'SH', Value: ['SPS-1'] } }],
  },
};

/** Cases after PS3.4 C.2.2.2 and its examples: [description, query keys, matches?, options]. */
const cases: Array<
  [
    string,
    Record<string, string | number | string[]>,
    boolean,
    { fuzzyMatching?: boolean; combinedDateTime?: boolean }?,
  ]
> = [
  ['universal: zero-length key (C.2.2.2.3)', { PatientName: '' }, true],
  ['universal: "*" alone', { AccessionNumber: '*' }, true],
  ['single value, exact (C.2.2.2.1)', { Modality: 'MR' }, true],
  ['single value is case-sensitive for CS', { Modality: 'mr' }, false],
  ['single value: PN case-insensitive', { PatientName: 'MÜLLER^JÜRGEN' }, true],
  ['single value: PN accents matter without fuzzy matching', { PatientName: 'Muller^Jurgen' }, false],
  [
    'fuzzy PN: accents and case ignored, prefixes, any order',
    { PatientName: 'jurg muller' },
    true,
    { fuzzyMatching: true },
  ],
  ['fuzzy PN: a missing word does not match', { PatientName: 'smith' }, false, { fuzzyMatching: true }],
  ['PN ideographic group', { PatientName: '=山田^太郎' }, true],
  ['PN ideographic group mismatch', { PatientName: '=山田^花子' }, false],
  ['multi-valued candidate: any value matches', { ModalitiesInStudy: 'SR' }, true],
  ['wildcard * (C.2.2.2.4)', { PatientID: 'PID*' }, true],
  ['wildcard ? matches exactly one character', { PatientID: 'PID-00?' }, true],
  ['wildcard ? does not match two characters', { PatientID: 'PID-0?' }, false],
  ['wildcard PN case-insensitive', { PatientName: 'mül*' }, true],
  ['wildcard in LO with spaces', { StudyDescription: 'Brain*contrast' }, true],
  ['date range (C.2.2.2.5)', { StudyDate: '20060705-20060707' }, true],
  ['date range excluding', { StudyDate: '20060707-20060710' }, false],
  ['open date range, lower', { StudyDate: '20060706-' }, true],
  ['open date range, upper', { StudyDate: '-20060705' }, false],
  ['single date', { StudyDate: '20060706' }, true],
  ['time range', { StudyTime: '0800-1000' }, true],
  ['time range upper bound covers its precision', { StudyTime: '-09' }, true],
  ['time range excluding', { StudyTime: '1000-1800' }, false],
  [
    'independent date and time ranges (no combined matching)',
    { StudyDate: '20060705-20060707', StudyTime: '1000-1800' },
    false,
  ],
  [
    'combined date-time range (C.2.2.2.5.1): 2006-07-06 09:00 is between 07-05 10:00 and 07-07 18:00',
    { StudyDate: '20060705-20060707', StudyTime: '1000-1800' },
    true,
    { combinedDateTime: true },
  ],
  [
    'combined date-time range excluding the first day before its start time',
    { StudyDate: '20060706-20060707', StudyTime: '1000-1800' },
    false,
    { combinedDateTime: true },
  ],
  [
    'combined matching leaves a list of dates to match alone',
    { StudyDate: '20060101\\20060102', StudyTime: '0800-1000' },
    false,
    { combinedDateTime: true },
  ],
  [
    'combined matching: a single date with a time range',
    { StudyDate: '20060706', StudyTime: '0800-1000' },
    true,
    { combinedDateTime: true },
  ],
  ['list of UIDs (C.2.2.2.2)', { StudyInstanceUID: '1.2.3\\1.2.840.113619.2.1' }, true],
  ['list of UIDs without the candidate', { StudyInstanceUID: '1.2.3\\1.2.4' }, false],
  ['single UID', { StudyInstanceUID: '1.2.840.113619.2.1' }, true],
  ['UID is not a prefix match', { StudyInstanceUID: '1.2.840.113619.2' }, false],
  ['numeric IS compares numbers', { NumberOfStudyRelatedInstances: '042' }, true],
  ['empty value matching: "" matches a zero-length value', { AccessionNumber: '""' }, true],
  ['empty value matching: "" does not match a value', { PatientID: '""' }, false],
  ['empty value matching: "" matches an absent attribute', { ReferringPhysicianName: '""' }, true],
  ['absent attribute does not match a single value', { ReferringPhysicianName: 'Doe' }, false],
  ['several keys: all must match', { Modality: 'MR', PatientID: 'OTHER' }, false],
];

describe('matchDataset: cases from PS3.4 C.2.2.2', () => {
  for (const [description, keys, expected, options] of cases) {
    it(description, () => {
      expect(matchDataset(toDicomJsonQuery(keys), candidate, options)).toBe(expected);
    });
  }

  it('sequence matching (C.2.2.2.6): keys of the query item must match one candidate item', () => {
    const query = (item: DicomJsonDataset): DicomJsonDataset => ({ '0040A730': { vr: 'SQ', Value: [item] } });
    expect(matchDataset(query({ '0040A040': { vr: 'CS', Value: ['CODE'] } }), candidate)).toBe(true);
    expect(
      matchDataset(
        query({
          '0040A040': { vr: 'CS', Value: ['CODE'] },
          '0040A160': { vr: 'UT', Value: ['no findings'] },
        }),
        candidate,
      ),
    ).toBe(false); // both keys exist, but in different items
    expect(matchDataset(query({ '0040A040': { vr: 'CS', Value: ['NUM'] } }), candidate)).toBe(false);
    expect(matchDataset(query({ '0040A040': { vr: 'CS' } }), candidate)).toBe(true); // universal item
    expect(matchDataset({ '0040A730': { vr: 'SQ', Value: [] } }, candidate)).toBe(true);
    expect(
      matchDataset(
        { '00400275': { vr: 'SQ', Value: [{ '00401001': { vr: 'SH', Value: ['RP-*'] } }] } },
        candidate,
      ),
    ).toBe(true);
    expect(matchDataset(query({ '0040A040': { vr: 'CS', Value: ['TEXT'] } }), {})).toBe(false);
  });

  it('ignores keys that describe the query (Query/Retrieve Level, Specific Character Set)', () => {
    expect(
      matchDataset(
        { '00080052': { vr: 'CS', Value: ['STUDY'] }, '00080005': { vr: 'CS', Value: ['ISO_IR 192'] } },
        candidate,
      ),
    ).toBe(true);
  });

  it('DT ranges compare in UTC when values carry offsets', () => {
    const withDateTime: DicomJsonDataset = { '0040A120': { vr: 'DT', Value: ['20240101120000+0100'] } };
    const dt = (value: string) => ({ vr: 'DT' as const, Value: [value] });
    expect(matchAttribute(dt('20240101105959+0000-20240101110000+0000'), withDateTime['0040A120'])).toBe(
      true,
    );
    expect(matchAttribute(dt('20240101113000+0000-'), withDateTime['0040A120'])).toBe(false);
    expect(matchAttribute(dt('2024'), withDateTime['0040A120'])).toBe(true);
    expect(matchAttribute(dt('2023'), withDateTime['0040A120'])).toBe(false);
  });
});

describe('parseMatchingKey', () => {
  it('describes each kind so a server can push it down to SQL', () => {
    expect(parseMatchingKey('LO', '')).toEqual({ kind: 'universal', vr: 'LO' });
    expect(parseMatchingKey('LO', '""')).toEqual({ kind: 'empty', vr: 'LO' });
    expect(parseMatchingKey('PN', 'Doe^J*')).toEqual({
      kind: 'wildcard',
      vr: 'PN',
      pattern: 'Doe^J*',
      prefix: 'Doe^J',
      caseInsensitive: true,
    });
    expect(parseMatchingKey('CS', 'MR')).toEqual({
      kind: 'single',
      vr: 'CS',
      value: 'MR',
      caseInsensitive: false,
    });
    expect(parseMatchingKey('DA', '20240101-')).toEqual({ kind: 'range', vr: 'DA', lower: '20240101' });
    expect(parseMatchingKey('TM', '-1200')).toEqual({ kind: 'range', vr: 'TM', upper: '120059.999999' });
    expect(parseMatchingKey('TM', '10')).toEqual({
      kind: 'range',
      vr: 'TM',
      lower: '100000.000000',
      upper: '105959.999999',
    });
    expect(parseMatchingKey('DT', '20240101-0500')).toEqual({
      kind: 'range',
      vr: 'DT',
      lower: '20240101050000.000000',
      upper: '20240102045959.999999',
    }); // one DT (a day at -0500) with a negative offset, converted to UTC
    expect(parseMatchingKey('DT', '0050-')).toEqual({
      kind: 'range',
      vr: 'DT',
      lower: '00500101000000.000000',
    });
    expect(parseMatchingKey('DT', '-004802')).toEqual({
      kind: 'range',
      vr: 'DT',
      upper: '00480229235959.999999',
    });
    expect(parseMatchingKey('UI', '1.2\\1.3')).toEqual({ kind: 'list', vr: 'UI', values: ['1.2', '1.3'] });
    expect(parseMatchingKey('UI', '1.2,1.3')).toEqual({ kind: 'list', vr: 'UI', values: ['1.2', '1.3'] }); // QIDO-RS
    expect(parseMatchingKey('LO', 'Smith, John')).toEqual({
      kind: 'single',
      vr: 'LO',
      value: 'Smith, John',
      caseInsensitive: false,
    });
    expect(parseMatchingKey('SQ', '')).toEqual({ kind: 'sequence', vr: 'SQ', item: undefined });
    // Wildcards are literal for UIDs, dates and numbers (C.2.2.2.4), so these are errors:
    expect(() => parseMatchingKey('UI', '1.2.*')).toThrow(expect.objectContaining({ code: 'INVALID_UID' }));
    expect(() => parseMatchingKey('DA', '2024*')).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }));
    expect(() => parseMatchingKey('DA', '20240101-20240102-20240103')).toThrow(PacsError);
    expect(() => parseMatchingKey('DA', '-')).toThrow(PacsError);
    expect(() => parseMatchingKey('IS', 'many')).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }));
    expect(() => parseMatchingKey('OB', 'AQID')).toThrow(PacsError);
  });
});

describe('matching properties', () => {
  const text = fc.stringMatching(/^[A-Za-z0-9 ]{1,16}$/).filter((value) => value.trim() !== '');
  const date = fc
    .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true })
    .map((value) =>
      formatDate({ year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate() }),
    );

  it('"*" matches every value, and a zero-length key matches absent attributes too', () => {
    fc.assert(
      fc.property(
        fc.option(text, { nil: undefined }),
        fc.constantFrom('LO', 'SH', 'CS', 'PN' as const),
        (value, vr) => {
          const attribute =
            value === undefined ? undefined : { vr, Value: [vr === 'PN' ? { Alphabetic: value } : value] };
          expect(matchAttribute({ vr, Value: ['*'] }, attribute)).toBe(true);
          expect(matchAttribute({ vr }, attribute)).toBe(true);
        },
      ),
    );
  });

  it('a value always matches itself', () => {
    fc.assert(
      fc.property(text, date, (value, day) => {
        expect(matchAttribute({ vr: 'LO', Value: [value] }, { vr: 'LO', Value: [value] })).toBe(true);
        expect(
          matchAttribute(
            { vr: 'PN', Value: [{ Alphabetic: value }] },
            { vr: 'PN', Value: [{ Alphabetic: value }] },
          ),
        ).toBe(true);
        expect(matchAttribute({ vr: 'DA', Value: [day] }, { vr: 'DA', Value: [day] })).toBe(true);
        const uid = createUid();
        expect(matchAttribute({ vr: 'UI', Value: [uid] }, { vr: 'UI', Value: [uid] })).toBe(true);
      }),
    );
  });

  it('date range containment agrees with string comparison of normalised dates', () => {
    fc.assert(
      fc.property(
        date,
        date,
        date,
        fc.boolean(),
        fc.boolean(),
        (value, first, second, openLower, openUpper) => {
          const [lower, upper] = first <= second ? [first, second] : [second, first];
          const range = `${openLower ? '' : lower}-${openUpper && !openLower ? '' : upper}`;
          const expected = (openLower || value >= lower) && (openUpper && !openLower ? true : value <= upper);
          expect(matchAttribute({ vr: 'DA', Value: [range] }, { vr: 'DA', Value: [value] })).toBe(expected);
        },
      ),
    );
  });

  it('a wildcard prefix matches exactly the values that start with it', () => {
    fc.assert(
      fc.property(text, text, (prefix, value) => {
        const matches = matchAttribute({ vr: 'LO', Value: [`${prefix}*`] }, { vr: 'LO', Value: [value] });
        // Spaces inside the pattern are significant ("9 *" does not match "9A"); only the value's
        // padding and the pattern's leading spaces are not (PS3.5 6.2, LO).
        expect(matches).toBe(value.trim().startsWith(prefix.trimStart()));
      }),
    );
  });
});

describe('UIDs', () => {
  it('creates valid, distinct 2.25 UIDs from UUIDs', () => {
    const uids = new Set<string>();
    for (let index = 0; index < 200; index++) {
      const uid = createUid();
      expect(uid).toMatch(/^2\.25\.[1-9]\d*$/);
      expect(isValidUid(uid)).toBe(true);
      expect(uid.length).toBeLessThanOrEqual(44);
      uids.add(uid);
    }
    expect(uids.size).toBe(200);
  });

  it('creates UIDs under an organisation root within 64 characters', () => {
    const root = '1.2.826.0.1.3680043.10.1234';
    const uid = createUid({ root });
    expect(uid.startsWith(`${root}.`)).toBe(true);
    expect(uid.length).toBeLessThanOrEqual(64);
    expect(isValidUid(uid)).toBe(true);
    expect(() => createUid({ root: '1.02.3' })).toThrow(expect.objectContaining({ code: 'INVALID_UID' }));
    expect(() => createUid({ root: `1.${'2'.repeat(60)}` })).toThrow(PacsError);
  });

  it('validates UIDs per PS3.5 9.1', () => {
    for (const uid of ['1.2.840.10008.1.2', '0', '2.25.0', '1.0.3']) expect(isValidUid(uid), uid).toBe(true);
    for (const uid of ['', '1.02', '1..2', '.1', '1.', '1.2a', ` 1.2`, `1.${'2'.repeat(63)}`]) {
      expect(isValidUid(uid), uid).toBe(false);
    }
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10 ** 9 }), { minLength: 1, maxLength: 6 }), (parts) => {
        expect(isValidUid(parts.join('.'))).toBe(parts.join('.').length <= 64);
      }),
    );
  });
});
