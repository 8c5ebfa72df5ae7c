/// <reference path="../test/dcmjs.d.ts" />
import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import {
  getAttribute,
  getItems,
  getNumber,
  getString,
  getStrings,
  setAttribute,
} from './attributeAccessors.js';
import type { DicomJsonDataset } from './dicomJson.js';
import { dictionaryData } from './dictionaryData.gen.js';
import { keywordToTag, tagToKeyword, toTag, vrOf } from './dictionary.js';
import { PacsError } from './pacsError.js';
import { toDicomJsonQuery } from './toDicomJsonQuery.js';

describe('dictionary', () => {
  it('is the dcmjs dictionary (regenerate with node scripts/generateDictionary.mjs)', () => {
    const fromDcmjs = Object.values(dcmjs.data.DicomMetaDictionary.nameMap)
      .map((entry) => ({ ...entry, tag: entry.tag.replace(/[(),]/g, '').toUpperCase() }))
      .filter((entry) => /^[0-9A-F]{8}$/.test(entry.tag))
      .map((entry) => `${entry.tag} ${entry.vr} ${entry.name}`)
      .sort();
    expect(dictionaryData.split('\n')).toEqual(fromDcmjs);
    expect(fromDcmjs.length).toBeGreaterThan(5000);
  });

  it('maps keywords and tags both ways', () => {
    expect(keywordToTag('StudyInstanceUID')).toBe('0020000D');
    expect(tagToKeyword('0020000D')).toBe('StudyInstanceUID');
    expect(tagToKeyword('(0010,0010)')).toBe('PatientName');
    expect(keywordToTag('NoSuchKeyword')).toBeUndefined();
    expect(tagToKeyword('00091010')).toBeUndefined();
    expect(tagToKeyword('60023000')).toBe('OverlayData'); // repeating group 60xx
  });

  it('normalises keywords and tags with toTag', () => {
    expect(toTag('StudyInstanceUID')).toBe('0020000D');
    expect(toTag('0020000d')).toBe('0020000D');
    expect(toTag('(0020,000D)')).toBe('0020000D');
    expect(() => toTag('NoSuchKeyword')).toThrow(PacsError);
  });

  it('gives VRs, resolving choices and private tags', () => {
    expect(vrOf('PatientName')).toBe('PN');
    expect(vrOf('00280010')).toBe('US');
    expect(vrOf('PixelData')).toBe('OW');
    expect(vrOf('SmallestImagePixelValue')).toBe('US');
    expect(vrOf('00090010')).toBe('LO'); // private creator
    expect(vrOf('00091010')).toBe('UN');
    expect(vrOf('00080000')).toBe('UL');
    expect(vrOf('ReferencedSeriesSequence')).toBe('SQ');
  });
});

describe('attribute accessors', () => {
  const dataset: DicomJsonDataset = {
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane', Ideographic: 'ド^ジ' }] },
    '00080060': { vr: 'CS', Value: ['MR'] },
    '00080008': { vr: 'CS', Value: ['ORIGINAL', null, 'AXIAL'] },
    '00180050': { vr: 'DS', Value: [2.5] },
    '00200013': { vr: 'IS', Value: ['7'] },
    '00081115': { vr: 'SQ', Value: [{ '0020000E': { vr: 'UI', Value: ['1.2.3'] } }] },
  };

  it('reads by keyword or tag', () => {
    expect(getString(dataset, 'PatientName')).toBe('Doe^Jane');
    expect(getString(dataset, '00080060')).toBe('MR');
    expect(getStrings(dataset, 'ImageType')).toEqual(['ORIGINAL', '', 'AXIAL']);
    expect(getNumber(dataset, 'SliceThickness')).toBe(2.5);
    expect(getNumber(dataset, 'InstanceNumber')).toBe(7);
    expect(getNumber(dataset, 'Modality')).toBeUndefined();
    expect(getString(dataset, 'PatientID')).toBeUndefined();
    expect(getAttribute(dataset, 'Modality')).toEqual({ vr: 'CS', Value: ['MR'] });
    expect(getString(getItems(dataset, 'ReferencedSeriesSequence')[0]!, 'SeriesInstanceUID')).toBe('1.2.3');
  });

  it('sets attributes with dictionary VRs without changing the input', () => {
    const updated = setAttribute(dataset, 'PatientName', 'Roe^Richard=ロ^リ');
    expect(updated['00100010']).toEqual({
      vr: 'PN',
      Value: [{ Alphabetic: 'Roe^Richard', Ideographic: 'ロ^リ' }],
    });
    expect(getString(dataset, 'PatientName')).toBe('Doe^Jane');
    expect(setAttribute({}, 'SliceThickness', '1.25')['00180050']).toEqual({ vr: 'DS', Value: [1.25] });
    expect(setAttribute({}, 'PatientID', null)['00100020']).toEqual({ vr: 'LO' });
    expect(setAttribute({}, '00091010', 'x', 'LO')['00091010']).toEqual({ vr: 'LO', Value: ['x'] });
    expect(() => setAttribute({}, 'Rows', 'many')).toThrow(PacsError);
  });
});

describe('toDicomJsonQuery', () => {
  it('builds a query data set with dictionary VRs, keeping matching syntax as text', () => {
    expect(
      toDicomJsonQuery({
        PatientName: 'DOE*',
        StudyDate: '20240101-20240131',
        ModalitiesInStudy: ['CT', 'MR'],
        StudyInstanceUID: '1.2.3\\1.2.4',
        AccessionNumber: '',
        '00200013': 5,
      }),
    ).toEqual({
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE*' }] },
      '00080020': { vr: 'DA', Value: ['20240101-20240131'] },
      '00080061': { vr: 'CS', Value: ['CT', 'MR'] },
      '0020000D': { vr: 'UI', Value: ['1.2.3', '1.2.4'] },
      '00080050': { vr: 'SH' },
      '00200013': { vr: 'IS', Value: ['5'] },
    });
  });

  it('nests attribute paths into sequence items (QIDO-RS "00400100.00080060")', () => {
    expect(
      toDicomJsonQuery({
        'ScheduledProcedureStepSequence.Modality': 'MR',
        '00400100.00400002': '20240101-',
        PatientID: 'P1',
      }),
    ).toEqual({
      '00400100': {
        vr: 'SQ',
        Value: [{ '00080060': { vr: 'CS', Value: ['MR'] }, '00400002': { vr: 'DA', Value: ['20240101-'] } }],
      },
      '00100020': { vr: 'LO', Value: ['P1'] },
    });
    expect(() => toDicomJsonQuery({ 'PatientID.Modality': 'MR' })).toThrow(
      expect.objectContaining({ code: 'INVALID_QUERY' }),
    );
  });
});
