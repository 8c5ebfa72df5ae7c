import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charsetFilesDirectory, readTestFile } from '../test/testData.js';
import { getItems, getStrings } from './attributeAccessors.js';
import { decodeText, encodeText } from './characterSet.js';
import type { DicomJsonDataset, PersonNameValue } from './dicomJson.js';
import { parsePart10 } from './parsePart10.js';
import { writePart10 } from './writePart10.js';

/** Expected Patient's Name per file: pydicom tests/test_charset.py FILE_PATIENT_NAMES (and FileInfo.txt). */
const filePatientNames: Array<[string, string]> = [
  ['chrArab', 'قباني^لنزار'],
  ['chrFren', 'Buc^Jérôme'],
  ['chrFrenMulti', 'Buc^Jérôme'],
  ['chrGerm', 'Äneas^Rüdiger'],
  ['chrGreek', 'Διονυσιος'],
  ['chrH31', 'Yamada^Tarou=山田^太郎=やまだ^たろう'],
  ['chrH32', 'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう'],
  ['chrHbrw', 'שרון^דבורה'],
  ['chrI2', 'Hong^Gildong=洪^吉洞=홍^길동'],
  ['chrJapMulti', 'やまだ^たろう'],
  ['chrJapMultiExplicitIR6', 'やまだ^たろう'],
  ['chrKoreanMulti', '김희중'],
  ['chrRuss', 'Люкceмбypг'],
  ['chrX1', 'Wang^XiaoDong=王^小東'],
  ['chrX2', 'Wang^XiaoDong=王^小东'],
];

function personNameText(value: PersonNameValue): string {
  return [value.Alphabetic ?? '', value.Ideographic ?? '', value.Phonetic ?? ''].join('=').replace(/=+$/, '');
}

function patientName(dataset: DicomJsonDataset): string {
  return personNameText(dataset['00100010']?.Value?.[0] as PersonNameValue);
}

describe('Specific Character Set decoding of pydicom charset files', () => {
  for (const [file, name] of filePatientNames) {
    it(`${file}: ${name}`, () => {
      const { dataset } = parsePart10(readTestFile(`${file}.dcm`, charsetFilesDirectory));
      expect(patientName(dataset)).toBe(name);
    });
  }

  it('decodes sequence items with their own character set (chrSQEncoding)', () => {
    for (const file of ['chrSQEncoding.dcm', 'chrSQEncoding1.dcm']) {
      const { dataset } = parsePart10(readTestFile(file, charsetFilesDirectory));
      const item = getItems(dataset, '00321064')[0]!;
      expect(patientName(item), file).toBe('ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう');
    }
  });

  it('splits multi-valued text after decoding (chrFrenMulti)', () => {
    const { dataset } = parsePart10(readTestFile('chrFrenMulti.dcm', charsetFilesDirectory));
    expect(getStrings(dataset, 'OtherPatientNames')).toEqual(['Buc^Jérôme', 'Buc^Jérôme']);
    expect(getStrings(dataset, 'OtherPatientIDs')).toEqual(['eggs', 'spam']);
  });
});

/** pydicom tests/test_charset.py ENCODED_NAMES: single-byte code extensions with escape sequences. */
const encodedNames: Array<[string, string, number[]]> = [
  [
    'ISO 2022 IR 13',
    'ﾔﾏﾀﾞ^ﾀﾛｳ',
    [0x1b, 0x29, 0x49, 0xd4, 0xcf, 0xc0, 0xde, 0x5e, 0x1b, 0x29, 0x49, 0xc0, 0xdb, 0xb3],
  ],
  [
    'ISO 2022 IR 100',
    'Buc^Jérôme',
    [0x1b, 0x2d, 0x41, 0x42, 0x75, 0x63, 0x5e, 0x1b, 0x2d, 0x41, 0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65],
  ],
  ['ISO 2022 IR 101', 'Wałęsa', [0x1b, 0x2d, 0x42, 0x57, 0x61, 0xb3, 0xea, 0x73, 0x61]],
  ['ISO 2022 IR 109', 'antaŭnomo', [0x1b, 0x2d, 0x43, 0x61, 0x6e, 0x74, 0x61, 0xfd, 0x6e, 0x6f, 0x6d, 0x6f]],
  ['ISO 2022 IR 110', 'vārds', [0x1b, 0x2d, 0x44, 0x76, 0xe0, 0x72, 0x64, 0x73]],
  [
    'ISO 2022 IR 127',
    'قباني^لنزار',
    [0x1b, 0x2d, 0x47, 0xe2, 0xc8, 0xc7, 0xe6, 0xea, 0x5e, 0x1b, 0x2d, 0x47, 0xe4, 0xe6, 0xd2, 0xc7, 0xd1],
  ],
  ['ISO 2022 IR 126', 'Διονυσιος', [0x1b, 0x2d, 0x46, 0xc4, 0xe9, 0xef, 0xed, 0xf5, 0xf3, 0xe9, 0xef, 0xf2]],
  [
    'ISO 2022 IR 138',
    'שרון^דבורה',
    [0x1b, 0x2d, 0x48, 0xf9, 0xf8, 0xe5, 0xef, 0x5e, 0x1b, 0x2d, 0x48, 0xe3, 0xe1, 0xe5, 0xf8, 0xe4],
  ],
  [
    'ISO 2022 IR 144',
    'Люкceмбypг',
    [0x1b, 0x2d, 0x4c, 0xbb, 0xee, 0xda, 0x63, 0x65, 0xdc, 0xd1, 0x79, 0x70, 0xd3],
  ],
  ['ISO 2022 IR 148', 'Çavuşoğlu', [0x1b, 0x2d, 0x4d, 0xc7, 0x61, 0x76, 0x75, 0xfe, 0x6f, 0xf0, 0x6c, 0x75]],
  ['ISO 2022 IR 166', 'นามสกุล', [0x1b, 0x2d, 0x54, 0xb9, 0xd2, 0xc1, 0xca, 0xa1, 0xd8, 0xc5]],
];

describe('ISO 2022 code extensions', () => {
  for (const [term, text, bytes] of encodedNames) {
    it(`decodes ${term} with escape sequences`, () => {
      expect(decodeText(new Uint8Array(bytes), ['', term])).toBe(text);
    });
  }

  it('decodes the single-byte sets without escape sequences', () => {
    expect(
      decodeText(new Uint8Array([0x42, 0x75, 0x63, 0x5e, 0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65]), [
        'ISO_IR 100',
      ]),
    ).toBe('Buc^Jérôme');
    expect(decodeText(new Uint8Array([0xcd, 0xf5]), ['GB18030'])).toBe('王');
    expect(decodeText(new Uint8Array([0xcd, 0xf5]), ['GBK'])).toBe('王');
  });

  it('decodes JIS X 0212 (ISO 2022 IR 159)', () => {
    // ESC $ ( D then 0x30 0x21 is 丂 (JIS X 0212 row 16 cell 1 → U+4E02).
    expect(
      decodeText(new Uint8Array([0x1b, 0x24, 0x28, 0x44, 0x30, 0x21, 0x1b, 0x28, 0x42]), [
        '',
        'ISO 2022 IR 159',
      ]),
    ).toBe('丂');
  });

  it('decodes GB 2312 (ISO 2022 IR 58)', () => {
    // ESC $ ) A then 0xCD 0xF5 is 王 in GB 2312 (G1).
    expect(decodeText(new Uint8Array([0x1b, 0x24, 0x29, 0x41, 0xcd, 0xf5]), ['', 'ISO 2022 IR 58'])).toBe(
      '王',
    );
  });
});

describe('encodeText', () => {
  it('encodes in the data set character set and refuses what it cannot represent', () => {
    expect(encodeText('Buc^Jérôme', ['ISO_IR 100'])).toEqual(
      new Uint8Array([0x42, 0x75, 0x63, 0x5e, 0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65]),
    );
    expect(encodeText('王', ['ISO_IR 100'])).toBeUndefined();
    expect(encodeText('王', ['ISO_IR 192'])).toEqual(new TextEncoder().encode('王'));
    expect(encodeText('Wang^XiaoDong=王^小东', ['GB18030'])).toEqual(
      Uint8Array.from('Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab', (char) => char.charCodeAt(0)),
    ); // chrX2.dcm, FileInfo.txt
    expect(encodeText('王', ['GBK'])).toEqual(new Uint8Array([0xcd, 0xf5]));
    expect(encodeText('😀', ['GB18030'])).toBeUndefined(); // four-byte GB18030: written as UTF-8 instead
  });

  it('keeps the character set when writing files back', () => {
    for (const file of [
      'chrFren.dcm',
      'chrRuss.dcm',
      'chrGreek.dcm',
      'chrArab.dcm',
      'chrHbrw.dcm',
      'chrX1.dcm',
    ]) {
      const parsed = parsePart10(readTestFile(file, charsetFilesDirectory));
      const reparsed = parsePart10(writePart10(parsed));
      expect(reparsed.dataset['00080005'], file).toEqual(parsed.dataset['00080005']);
      expect(patientName(reparsed.dataset), file).toBe(patientName(parsed.dataset));
    }
  });

  it('encodes ISO 2022 with escape sequences as in chrH31 and chrI2 (FileInfo.txt)', () => {
    const latin1 = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
    expect(encodeText('Yamada^Tarou=山田^太郎=やまだ^たろう', ['', 'ISO 2022 IR 87'])).toEqual(
      latin1('Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B'),
    );
    expect(encodeText('Hong^Gildong=洪^吉洞=홍^길동', ['', 'ISO 2022 IR 149'])).toEqual(
      latin1('Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf'),
    );
  });

  for (const [term, text] of encodedNames) {
    it(`round-trips ${term} through encodeText and decodeText`, () => {
      const bytes = encodeText(text, ['', term]);
      expect(bytes).toBeDefined();
      expect(decodeText(bytes!, ['', term])).toBe(text);
    });
  }

  it('decodes whatever it encodes, for mixed Japanese and Korean text', () => {
    const alphabet = [...'AZaz09 ^=.やまだたろう山田太郎ﾔﾏﾀﾞﾛｳ홍길동洪吉洞'];
    const terms = ['ISO 2022 IR 13', 'ISO 2022 IR 87', 'ISO 2022 IR 149'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        const bytes = encodeText(text, terms);
        expect(bytes).toBeDefined();
        expect(decodeText(bytes!, terms)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});
