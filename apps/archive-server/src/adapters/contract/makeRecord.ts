import type { InstanceRecord } from '../../ports/Index.js';

export interface RecordSpec {
  study: string;
  series: string;
  sop: string;
  patientID?: string;
  patientName?: string;
  studyDate?: string;
  accessionNumber?: string;
  modality?: string;
  seriesNumber?: number;
  instanceNumber?: number;
  sopClassUID?: string;
  blobKey?: string;
}

let counter = 0;

/** A synthetic InstanceRecord shaped as IngestService builds it (DICOM JSON attributes). */
export function makeRecord(spec: RecordSpec): InstanceRecord {
  counter++;
  const sopClassUID = spec.sopClassUID ?? '1.2.840.10008.5.1.4.1.1.2';
  return {
    studyInstanceUID: spec.study,
    seriesInstanceUID: spec.series,
    sopInstanceUID: spec.sop,
    sopClassUID,
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    blobKey:
      spec.blobKey ??
      `0000abcd-${counter.toString(16).padStart(8, '0')}-${Math.random().toString(16).slice(2, 10)}`,
    size: 1000 + counter,
    study: {
      '0020000D': { vr: 'UI', Value: [spec.study] },
      '00100020': { vr: 'LO', Value: [spec.patientID ?? 'PID-1'] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: spec.patientName ?? 'Doe^Jane' }] },
      '00080020': { vr: 'DA', Value: [spec.studyDate ?? '20240101'] },
      '00080050': { vr: 'SH', Value: [spec.accessionNumber ?? 'ACC1'] },
    },
    series: {
      '0020000E': { vr: 'UI', Value: [spec.series] },
      '00080060': { vr: 'CS', Value: [spec.modality ?? 'CT'] },
      '00200011': { vr: 'IS', Value: [spec.seriesNumber ?? 1] },
    },
    instance: {
      '00080018': { vr: 'UI', Value: [spec.sop] },
      '00080016': { vr: 'UI', Value: [sopClassUID] },
      '00200013': { vr: 'IS', Value: [spec.instanceNumber ?? 1] },
    },
    metadata: JSON.stringify({ '00080018': { vr: 'UI', Value: [spec.sop] } }),
    pixelData: { offset: 100, length: 200, encapsulated: false, fragments: [], basicOffsetTable: [] },
    bulkData: { '7FE00010': { offset: 100, length: 200 } },
    deflated: false,
    warnings: [],
    storedAt: '2026-11-22T00:00:00.000Z',
  };
}
