import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { charsetFilesDirectory, listDicomFiles, readTestFile, testFilesDirectory } from '../test/testData.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import type { DicomJsonAttribute, DicomJsonDataset } from './dicomJson.js';
import { parsePart10 } from './parsePart10.js';
import { transferSyntaxEncoding } from './transferSyntax.js';
import { writePart10 } from './writePart10.js';

/**
 * Interoperability with a real peer: DCMTK's dcm2json (3.6.7) reads the same pydicom files and the
 * files writePart10 produces. dcm2json cannot write InlineBinary for encapsulated Pixel Data nor
 * decode ISO 2022 multi-byte sets with glibc iconv, so those files are left out here (they are covered
 * by the pydicom acceptance table and the character set tests).
 */
const workDirectory = mkdtempSync(join(tmpdir(), 'pacskit-dicom-dcmtk-'));
afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

function dcm2json(path: string): DicomJsonDataset | undefined {
  try {
    return JSON.parse(
      execFileSync('dcm2json', ['-q', path], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * Comparable form: FL/FD to 6 digits (dcm2json prints 9), odd binary values padded, charset dropped.
 * `implicitVr`: a reader of implicit VR data takes OB/OW/UN from its dictionary (PS3.5 A.1: Pixel Data
 * is OW there), so those VRs are not compared.
 */
function comparable(dataset: DicomJsonDataset, implicitVr = false): unknown {
  const out: Record<string, unknown> = {};
  for (const [tag, attribute] of Object.entries(dataset)) {
    if (tag === '00080005' || tag.endsWith('0000')) continue;
    // Private attributes other than creators have no dictionary VR: implicit VR turns them into UN.
    const privateElement =
      Number.parseInt(tag.slice(0, 4), 16) % 2 === 1 && Number.parseInt(tag.slice(4), 16) > 0xff;
    if (implicitVr && privateElement) continue;
    out[tag] = comparableAttribute(attribute, implicitVr);
  }
  return out;
}

function comparableAttribute(attribute: DicomJsonAttribute, implicitVr: boolean): unknown {
  if (attribute.vr === 'SQ') {
    return {
      vr: 'SQ',
      Value: (attribute.Value ?? []).map((item) => comparable(item as DicomJsonDataset, implicitVr)),
    };
  }
  if (implicitVr && ['OB', 'OW', 'UN'].includes(attribute.vr)) {
    return comparableAttribute({ ...attribute, vr: 'OB' }, false);
  }
  if (attribute.InlineBinary !== undefined) {
    const bytes = decodeBase64(attribute.InlineBinary)!;
    return {
      vr: attribute.vr,
      InlineBinary: encodeBase64(bytes.length % 2 === 0 ? bytes : Uint8Array.from([...bytes, 0])),
    };
  }
  const values = (attribute.Value ?? []).map((value) =>
    typeof value === 'number' && (attribute.vr === 'FL' || attribute.vr === 'FD')
      ? Number(value.toPrecision(6))
      : value,
  );
  return values.length === 0 || values.every((value) => value === null)
    ? { vr: attribute.vr }
    : { vr: attribute.vr, Value: values };
}

const candidates = [
  ...listDicomFiles(testFilesDirectory).map((name) => ({ name, directory: testFilesDirectory })),
  ...listDicomFiles(charsetFilesDirectory).map((name) => ({ name, directory: charsetFilesDirectory })),
];
// DCMTK 3.6.7 decodes this item's own ISO 2022 character set wrongly (the item's Patient's Name comes
// out as raw JIS bytes); pydicom and parsePart10 agree on the expected name (characterSet.test.ts).
const dcmtkDecodesWrongly = new Set(['chrSQEncoding.dcm']);

const readable = candidates
  .filter(({ name }) => !dcmtkDecodesWrongly.has(name))
  .map((file) => ({ ...file, reference: dcm2json(file.directory + file.name) }))
  .filter((file): file is typeof file & { reference: DicomJsonDataset } => file.reference !== undefined);

describe('DCMTK dcm2json agrees with parsePart10', () => {
  it('has enough files that DCMTK can convert', () => {
    expect(readable.length).toBeGreaterThanOrEqual(35);
  });

  for (const { name, directory, reference } of readable) {
    it(name, () => {
      const { dataset } = parsePart10(readTestFile(name, directory));
      expect(comparable(dataset)).toEqual(comparable(reference));
    });
  }
});

describe('DCMTK reads what writePart10 writes', () => {
  const native = readable.filter(({ name, directory }) => {
    const { transferSyntaxUID } = parsePart10(readTestFile(name, directory));
    return transferSyntaxEncoding(transferSyntaxUID)?.encapsulated === false;
  });

  it('covers native files', () => {
    expect(native.length).toBeGreaterThanOrEqual(25);
  });

  for (const { name, directory, reference } of native) {
    it(`${name} in every native transfer syntax`, () => {
      const { dataset } = parsePart10(readTestFile(name, directory));
      for (const transferSyntaxUID of [
        '1.2.840.10008.1.2',
        '1.2.840.10008.1.2.1',
        '1.2.840.10008.1.2.2',
        '1.2.840.10008.1.2.1.99',
      ]) {
        const path = join(workDirectory, `${name}.${transferSyntaxUID}.dcm`);
        writeFileSync(path, writePart10({ dataset, transferSyntaxUID }));
        const converted = dcm2json(path);
        expect(converted, transferSyntaxUID).toBeDefined();
        const implicitVr = transferSyntaxUID === '1.2.840.10008.1.2';
        expect(comparable(converted!, implicitVr), transferSyntaxUID).toEqual(
          comparable(reference, implicitVr),
        );
      }
    });
  }
});
