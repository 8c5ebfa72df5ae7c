import { describe, expect, it } from 'vitest';
import { readTestFile } from '../test/testData.js';
import { getItems, getString } from './attributeAccessors.js';
import { createUidMapper, deidentify } from './deidentify.js';
import type { DicomJsonDataset } from './dicomJson.js';
import { parsePart10 } from './parsePart10.js';
import { isValidUid } from './uid.js';
import { writePart10 } from './writePart10.js';

const instance: DicomJsonDataset = {
  '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.4'] },
  '00080018': { vr: 'UI', Value: ['1.2.3.4.5.6'] },
  '00080020': { vr: 'DA', Value: ['20240102'] },
  '00080050': { vr: 'SH', Value: ['ACC123'] },
  '00080060': { vr: 'CS', Value: ['MR'] },
  '00080080': { vr: 'LO', Value: ['General Hospital'] },
  '00080090': { vr: 'PN', Value: [{ Alphabetic: 'Referrer^Rita' }] },
  '00081030': { vr: 'LO', Value: ['MRI brain for Doe, PID-42'] },
  '00081140': {
    vr: 'SQ',
    Value: [
      {
        '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.4'] },
        '00081155': { vr: 'UI', Value: ['1.2.3.4.5.7'] },
      },
    ],
  },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
  '00100020': { vr: 'LO', Value: ['PID-42'] },
  '00100030': { vr: 'DA', Value: ['19800101'] },
  '00101040': { vr: 'LO', Value: ['1 Main Street'] },
  '0020000D': { vr: 'UI', Value: ['1.2.3'] },
  '0020000E': { vr: 'UI', Value: ['1.2.3.4'] },
  '00200052': { vr: 'UI', Value: ['1.2.3.9'] },
  '00190010': { vr: 'LO', Value: ['SIEMENS MR HEADER'] },
  '0019100C': { vr: 'IS', Value: [1000] },
  '00191008': { vr: 'CS', Value: ['IMAGE NUM 4'] },
  '00290010': { vr: 'LO', Value: ['SIEMENS CSA HEADER'] },
  '00291010': { vr: 'OB', InlineBinary: 'AAEC' },
  '60003000': { vr: 'OB', InlineBinary: 'AAEC' },
};

describe('deidentify (PS3.15 E.1-1 Basic Profile)', () => {
  it('applies D/Z/X/U actions, removes private tags and records the method', () => {
    const out = deidentify(instance);
    expect(out['00100010']).toEqual({ vr: 'PN' }); // Z
    expect(out['00100020']).toEqual({ vr: 'LO' }); // Z
    expect(out['00100030']).toEqual({ vr: 'DA' }); // Z
    expect(out['00080050']).toEqual({ vr: 'SH' }); // Z
    expect(out['00080090']).toEqual({ vr: 'PN' }); // Z
    expect(out['00101040']).toBeUndefined(); // X
    expect(out['00081030']).toBeUndefined(); // X without the Clean Descriptors Option
    expect(out['60003000']).toBeUndefined(); // overlay data
    expect(Object.keys(out).filter((tag) => Number.parseInt(tag.slice(0, 4), 16) % 2 === 1)).toEqual([]);
    expect(out['00080060']).toEqual(instance['00080060']); // K: not listed
    expect(out['00080016']).toEqual(instance['00080016']); // class UIDs are kept
    for (const tag of ['00080018', '0020000D', '0020000E', '00200052']) {
      const uid = getString(out, tag)!;
      expect(uid).not.toBe(getString(instance, tag));
      expect(isValidUid(uid)).toBe(true);
    }
    const reference = getItems(out, '00081140')[0]!;
    expect(getString(reference, '00081150')).toBe('1.2.840.10008.5.1.4.1.1.4');
    expect(getString(reference, '00081155')).not.toBe('1.2.3.4.5.7');
    expect(getString(out, 'PatientIdentityRemoved')).toBe('YES');
    expect(getString(out, 'DeidentificationMethod')).toContain('Basic Application Confidentiality Profile');
    expect(getString(getItems(out, 'DeidentificationMethodCodeSequence')[0]!, 'CodeValue')).toBe('113100');
    expect(instance['00100010']?.Value).toEqual([{ Alphabetic: 'Doe^Jane' }]); // input unchanged
  });

  it('maps UIDs consistently across a study with one mapper', () => {
    const mapper = createUidMapper();
    const first = deidentify(instance, { uidMapper: mapper });
    const second = deidentify(
      { ...instance, '00080018': { vr: 'UI', Value: ['1.2.3.4.5.7'] }, '00081140': { vr: 'SQ', Value: [] } },
      { uidMapper: mapper },
    );
    expect(getString(second, 'StudyInstanceUID')).toBe(getString(first, 'StudyInstanceUID'));
    expect(getString(second, 'SeriesInstanceUID')).toBe(getString(first, 'SeriesInstanceUID'));
    // The first instance's reference to the second points at the second's new SOP Instance UID.
    expect(getString(getItems(first, '00081140')[0]!, '00081155')).toBe(getString(second, 'SOPInstanceUID'));
    expect(mapper.size).toBe(5);
  });

  it('honours the options: retain UIDs, safe private, clean descriptors, pseudonyms', () => {
    const out = deidentify(instance, {
      retainUids: true,
      retainSafePrivate: true,
      cleanDescriptors: true,
      patientId: 'PSEUDO-1',
      patientName: 'Subject^One',
    });
    expect(getString(out, 'StudyInstanceUID')).toBe('1.2.3');
    expect(out['0019100C']).toEqual({ vr: 'IS', Value: [1000] }); // SIEMENS MR HEADER B_value
    expect(out['00190010']).toEqual(instance['00190010']);
    expect(out['00191008']).toBeUndefined(); // not on the safe list
    expect(out['00291010']).toBeUndefined();
    expect(getString(out, 'StudyDescription')).toBe('MRI brain for ***, ***');
    expect(getString(out, 'PatientID')).toBe('PSEUDO-1');
    expect(getString(out, 'PatientName')).toBe('Subject^One');
    const codes = getItems(out, 'DeidentificationMethodCodeSequence').map((item) =>
      getString(item, 'CodeValue'),
    );
    expect(codes).toEqual(['113100', '113110', '113111', '113105']);
  });

  it('de-identifies a real file that can still be written and read', () => {
    const { dataset } = parsePart10(readTestFile('CT_small.dcm'));
    const out = deidentify(dataset);
    const reparsed = parsePart10(writePart10({ dataset: out })).dataset;
    expect(reparsed['00100010']).toEqual({ vr: 'PN' });
    expect(reparsed['00080080']).toEqual({ vr: 'LO' });
    expect(Object.keys(reparsed).some((tag) => Number.parseInt(tag.slice(0, 4), 16) % 2 === 1)).toBe(false);
    expect(JSON.stringify(reparsed)).not.toContain('CompressedSamples');
  });
});
