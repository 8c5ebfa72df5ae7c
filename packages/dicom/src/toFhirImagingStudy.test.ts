import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from './dicomJson.js';
import { toFhirImagingStudy } from './toFhirImagingStudy.js';

const study: DicomJsonDataset = {
  '00080020': { vr: 'DA', Value: ['20240102'] },
  '00080030': { vr: 'TM', Value: ['101530'] },
  '00080050': { vr: 'SH', Value: ['ACC-7'] },
  '00080061': { vr: 'CS', Value: ['CT', 'SR'] },
  '00080201': { vr: 'SH', Value: ['+0100'] },
  '00081030': { vr: 'LO', Value: ['CT chest'] },
  '00100020': { vr: 'LO', Value: ['PID-1'] },
  '0020000D': { vr: 'UI', Value: ['1.2.3'] },
};
const series: DicomJsonDataset[] = [
  {
    '0020000E': { vr: 'UI', Value: ['1.2.3.2'] },
    '00080060': { vr: 'CS', Value: ['SR'] },
    '00200011': { vr: 'IS', Value: [2] },
  },
  {
    '0020000E': { vr: 'UI', Value: ['1.2.3.1'] },
    '00080060': { vr: 'CS', Value: ['CT'] },
    '00200011': { vr: 'IS', Value: [1] },
    '0008103E': { vr: 'LO', Value: ['Axial'] },
    '00180015': { vr: 'CS', Value: ['CHEST'] },
  },
];
const instances: DicomJsonDataset[] = [1, 2].map((number) => ({
  '0020000E': { vr: 'UI', Value: ['1.2.3.1'] },
  '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
  '00080018': { vr: 'UI', Value: [`1.2.3.1.${number}`] },
  '00200013': { vr: 'IS', Value: [number] },
}));

describe('toFhirImagingStudy', () => {
  it('maps a study with series and instances to an R4 ImagingStudy', () => {
    const resource = toFhirImagingStudy({
      study,
      series,
      instances,
      endpoint: 'Endpoint/dicomweb',
      patientReference: 'Patient/9',
    });
    expect(resource).toEqual({
      resourceType: 'ImagingStudy',
      identifier: [
        { system: 'urn:dicom:uid', value: 'urn:oid:1.2.3' },
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] },
          value: 'ACC-7',
        },
      ],
      status: 'available',
      modality: [
        { system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'CT' },
        { system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'SR' },
      ],
      subject: { reference: 'Patient/9' },
      started: '2024-01-02T10:15:30+01:00',
      endpoint: [{ reference: 'Endpoint/dicomweb' }],
      numberOfSeries: 2,
      numberOfInstances: 2,
      description: 'CT chest',
      series: [
        {
          uid: '1.2.3.1',
          number: 1,
          modality: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'CT' },
          description: 'Axial',
          numberOfInstances: 2,
          endpoint: [{ reference: 'Endpoint/dicomweb' }],
          bodySite: { display: 'CHEST' },
          instance: [
            {
              uid: '1.2.3.1.1',
              sopClass: { system: 'urn:ietf:rfc:3986', code: 'urn:oid:1.2.840.10008.5.1.4.1.1.2' },
              number: 1,
            },
            {
              uid: '1.2.3.1.2',
              sopClass: { system: 'urn:ietf:rfc:3986', code: 'urn:oid:1.2.840.10008.5.1.4.1.1.2' },
              number: 2,
            },
          ],
        },
        {
          uid: '1.2.3.2',
          number: 2,
          modality: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'SR' },
          endpoint: [{ reference: 'Endpoint/dicomweb' }],
        },
      ],
    });
  });

  it('uses the Patient ID as subject and a date-only start without a timezone offset', () => {
    const withoutOffset = { ...study };
    delete withoutOffset['00080201'];
    const resource = toFhirImagingStudy({ study: withoutOffset });
    expect(resource.subject).toEqual({ identifier: { value: 'PID-1' } });
    expect(resource.started).toBe('2024-01-02');
    expect(resource.series).toBeUndefined();
    expect(resource.numberOfSeries).toBeUndefined();
  });
});
