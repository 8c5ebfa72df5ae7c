import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './base64.js';
import type { DicomJsonAttribute, DicomJsonDataset, ValueRepresentation } from './dicomJson.js';
import { parseDecimalString } from './numberValues.js';
import { parsePart10 } from './parsePart10.js';
import { formatDecimalString } from './valueText.js';
import { writePart10 } from './writePart10.js';

/** Public attributes of each VR to put generated values in (tags from PS3.6). */
const attributesByVr: Array<[ValueRepresentation, string[]]> = [
  ['CS', ['00080060', '00080008', '00180015']],
  ['LO', ['00100020', '00081030', '0008103E']],
  ['SH', ['00080050', '00200010']],
  ['PN', ['00100010', '00080090']],
  ['DA', ['00080020', '00100030']],
  ['TM', ['00080030', '00080031']],
  ['UI', ['0020000D', '0020000E', '00080018']],
  ['IS', ['00200013', '00200011']],
  ['DS', ['00180050', '00280030']],
  ['US', ['00280010', '00280011']],
  ['SS', ['00189219']],
  ['UL', ['00081161']],
  ['SL', ['00186020']],
  ['FL', ['00181320']],
  ['FD', ['00189089']],
  ['LT', ['00204000']],
  ['UT', ['00400602']],
  ['OB', ['00420011']],
  ['OW', ['00660023']],
];

const text = (pattern: RegExp) => fc.stringMatching(pattern);
const printable = text(/^[A-Za-z0-9][A-Za-z0-9 .,:;!?()'/+-]{0,20}[A-Za-z0-9.]$/);
const unicode = fc.constantFrom(
  'Jérôme',
  'Δημήτρης',
  'Люкcембург',
  '山田太郎',
  'やまだ',
  '홍길동',
  'Ærøskøbing',
);

function valueArbitrary(vr: ValueRepresentation): fc.Arbitrary<DicomJsonAttribute> {
  const many = <T>(value: fc.Arbitrary<T>) => fc.array(value, { minLength: 1, maxLength: 3 });
  switch (vr) {
    case 'CS':
      return many(text(/^[A-Z0-9_]{1,16}$/)).map((Value) => ({ vr, Value }));
    case 'LO':
    case 'SH':
      return many(fc.oneof(printable, unicode)).map((Value) => ({ vr, Value }));
    case 'PN':
      return many(
        fc
          .tuple(fc.oneof(text(/^[A-Za-z]{1,10}$/), unicode), fc.oneof(text(/^[A-Za-z]{1,10}$/), unicode))
          .map(([family, given]) => ({ Alphabetic: `${family}^${given}` })),
      ).map((Value) => ({ vr, Value }));
    case 'DA':
      return many(
        fc
          .date({
            min: new Date(Date.UTC(1900, 0, 1)),
            max: new Date(Date.UTC(2099, 11, 31)),
            noInvalidDate: true,
          })
          .map((date) => date.toISOString().slice(0, 10).replaceAll('-', '')),
      ).map((Value) => ({ vr, Value }));
    case 'TM':
      return many(text(/^([01]\d|2[0-3])[0-5]\d[0-5]\d(\.\d{1,6})?$/)).map((Value) => ({ vr, Value }));
    case 'UI':
      return text(/^[1-9]\d{0,5}(\.(0|[1-9]\d{0,8})){1,6}$/).map((uid) => ({ vr, Value: [uid] }));
    case 'IS':
      return many(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })).map((Value) => ({ vr, Value }));
    case 'DS':
      // DICOM JSON DS values are what a 16-character DS can hold.
      return many(
        fc
          .double({ noNaN: true, noDefaultInfinity: true })
          .map((value) => parseDecimalString(formatDecimalString(value))),
      ).map((Value) => ({ vr, Value }));
    case 'US':
      return many(fc.integer({ min: 0, max: 0xffff })).map((Value) => ({ vr, Value }));
    case 'SS':
      return many(fc.integer({ min: -0x8000, max: 0x7fff })).map((Value) => ({ vr, Value }));
    case 'UL':
      return many(fc.integer({ min: 0, max: 0xffffffff })).map((Value) => ({ vr, Value }));
    case 'SL':
      return many(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })).map((Value) => ({ vr, Value }));
    case 'FL':
      return many(
        fc.float({ noNaN: true, noDefaultInfinity: true }).map((value) => (Object.is(value, -0) ? 0 : value)),
      ).map((Value) => ({ vr, Value }));
    case 'FD':
      return many(
        fc
          .double({ noNaN: true, noDefaultInfinity: true })
          .map((value) => (Object.is(value, -0) ? 0 : value)),
      ).map((Value) => ({ vr, Value }));
    case 'LT':
    case 'UT':
      return fc.oneof(printable, unicode).map((value) => ({ vr, Value: [`${value}\\with backslash`] }));
    case 'OB':
      return fc.uint8Array({ minLength: 2, maxLength: 64 }).map((bytes) => ({
        vr,
        InlineBinary: encodeBase64(bytes.length % 2 === 0 ? bytes : bytes.subarray(1)),
      }));
    case 'OW':
      return fc.uint8Array({ minLength: 2, maxLength: 64 }).map((bytes) => ({
        vr,
        InlineBinary: encodeBase64(bytes.subarray(0, bytes.length - (bytes.length % 2))),
      }));
    default:
      throw new Error(`no generator for ${vr}`);
  }
}

const attributeArbitrary = fc
  .constantFrom(...attributesByVr.flatMap(([vr, tags]) => tags.map((tag) => [vr, tag] as const)))
  .chain(([vr, tag]) => valueArbitrary(vr).map((attribute) => [tag, attribute] as const));

const flatDataset = fc
  .array(attributeArbitrary, { maxLength: 12 })
  .map((entries) => Object.fromEntries(entries));

const datasetArbitrary: fc.Arbitrary<DicomJsonDataset> = fc
  .tuple(
    flatDataset,
    fc.array(flatDataset, { maxLength: 2 }),
    fc.option(
      fc
        .string({ minLength: 1, maxLength: 20 })
        .filter((value) => value.trim() === value && !value.includes('\\')),
      {
        nil: undefined,
      },
    ),
  )
  .map(([top, items, privateText]) => {
    const dataset: DicomJsonDataset = { ...top };
    if (items.length > 0) dataset['00081115'] = { vr: 'SQ', Value: items };
    if (privateText !== undefined) {
      dataset['00090010'] = { vr: 'LO', Value: ['PACSKIT TEST'] };
      dataset['00091001'] = {
        vr: 'UN',
        InlineBinary: encodeBase64(
          new TextEncoder().encode(privateText.padEnd(2, ' ').slice(0, 20).padEnd(20, ' ')),
        ),
      };
    }
    dataset['00080005'] = { vr: 'CS', Value: ['ISO_IR 192'] };
    return dataset;
  });

describe('writePart10 then parsePart10 gives back the data set', () => {
  for (const transferSyntaxUID of [
    '1.2.840.10008.1.2',
    '1.2.840.10008.1.2.1',
    '1.2.840.10008.1.2.2',
    '1.2.840.10008.1.2.1.99',
  ]) {
    it(`for generated data sets in ${transferSyntaxUID}`, { timeout: 60_000 }, () => {
      fc.assert(
        fc.property(datasetArbitrary, (dataset) => {
          const reparsed = parsePart10(writePart10({ dataset, transferSyntaxUID }));
          expect(reparsed.transferSyntaxUID).toBe(transferSyntaxUID);
          if (transferSyntaxUID === '1.2.840.10008.1.2') {
            // Implicit VR: private attributes have no dictionary VR and come back as UN.
            const { '00091001': _private, ...rest } = dataset;
            const { '00091001': reparsedPrivate, ...reparsedRest } = reparsed.dataset;
            expect(reparsedRest).toEqual(rest);
            if (_private !== undefined)
              expect(reparsedPrivate).toEqual({ vr: 'UN', InlineBinary: _private.InlineBinary });
          } else {
            expect(reparsed.dataset).toEqual(dataset);
          }
        }),
        { numRuns: 60 },
      );
    });
  }
});
