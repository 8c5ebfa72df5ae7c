import type { DicomJsonAttribute, DicomJsonDataset } from '@pacskit/dicom';

/** Patient/study attributes copied into the SR so it joins the study (PS3.3 C.7.1.1, C.7.2.1). */
export interface SrStudyContext {
  studyInstanceUID: string;
  patientId: string;
  patientName?: string;
  patientBirthDate?: string;
  patientSex?: string;
  accessionNumber?: string;
  referringPhysicianName?: string;
  studyDate?: string;
  studyTime?: string;
  studyId?: string;
}

/** A DICOM JSON attribute; without a value it is an empty (type 2) attribute. */
export const attribute = (vr: DicomJsonAttribute['vr'], value: unknown[] | undefined): DicomJsonAttribute =>
  (value === undefined ? { vr } : { vr, Value: value }) as DicomJsonAttribute;

/** A code sequence item (PS3.3 8.8: Code Value, Coding Scheme Designator, Code Meaning). */
export const code = (value: string, scheme: string, meaning: string): DicomJsonDataset => ({
  '00080100': attribute('SH', [value]),
  '00080102': attribute('SH', [scheme]),
  '00080104': attribute('LO', [meaning]),
});

/** DA and TM values for a moment, in UTC. */
export function dicomDateTime(ms: number): { date: string; time: string } {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`,
  };
}

/**
 * The attributes every SR the archive writes shares: SOP Common, Patient, General Study, SR
 * Document Series and the content date/time (PS3.3 A.35.1/A.35.3), copied from the study so the
 * SR joins it.
 */
export function srDocumentHeader(options: {
  study: SrStudyContext;
  sopClassUID: string;
  sopInstanceUID: string;
  seriesInstanceUID: string;
  seriesDescription: string;
  seriesNumber: number;
  now: { date: string; time: string };
}): DicomJsonDataset {
  const { study, now } = options;
  const a = attribute;
  return {
    '00080005': a('CS', ['ISO_IR 192']),
    '00080016': a('UI', [options.sopClassUID]),
    '00080018': a('UI', [options.sopInstanceUID]),
    '00080020': a('DA', study.studyDate ? [study.studyDate] : undefined),
    '00080023': a('DA', [now.date]),
    '00080030': a('TM', study.studyTime ? [study.studyTime] : undefined),
    '00080033': a('TM', [now.time]),
    '00080050': a('SH', study.accessionNumber ? [study.accessionNumber] : undefined),
    '00080060': a('CS', ['SR']),
    '00080070': a('LO', ['PacsKit']),
    '00080090': a(
      'PN',
      study.referringPhysicianName ? [{ Alphabetic: study.referringPhysicianName }] : undefined,
    ),
    '0008103E': a('LO', [options.seriesDescription]),
    '00100010': a('PN', study.patientName ? [{ Alphabetic: study.patientName }] : undefined),
    '00100020': a('LO', [study.patientId]),
    '00100030': a('DA', study.patientBirthDate ? [study.patientBirthDate] : undefined),
    '00100040': a('CS', study.patientSex ? [study.patientSex] : undefined),
    '0020000D': a('UI', [study.studyInstanceUID]),
    '0020000E': a('UI', [options.seriesInstanceUID]),
    '00200010': a('SH', study.studyId ? [study.studyId] : undefined),
    '00200011': a('IS', [options.seriesNumber]),
    '00200013': a('IS', [1]),
    '00081111': a('SQ', []), // Referenced Performed Procedure Step Sequence (type 2)
  };
}
