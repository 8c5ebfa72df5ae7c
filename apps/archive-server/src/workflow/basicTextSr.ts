import type { DicomJsonAttribute, DicomJsonDataset } from '@pacskit/dicom';
import { writePart10 } from '@pacskit/dicom';
import { createUid } from './createUid.js';
import type { ReportRecord } from './WorkflowRecords.js';

export const basicTextSrSopClassUID = '1.2.840.10008.5.1.4.1.1.88.11';

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

const a = (vr: DicomJsonAttribute['vr'], value: unknown[] | undefined): DicomJsonAttribute =>
  (value === undefined ? { vr } : { vr, Value: value }) as DicomJsonAttribute;
const code = (value: string, scheme: string, meaning: string): DicomJsonDataset => ({
  '00080100': a('SH', [value]),
  '00080102': a('SH', [scheme]),
  '00080104': a('LO', [meaning]),
});

function textItem(conceptValue: string, meaning: string, text: string): DicomJsonDataset {
  return {
    '0040A010': a('CS', ['CONTAINS']),
    '0040A040': a('CS', ['TEXT']),
    '0040A043': a('SQ', [code(conceptValue, 'DCM', meaning)]),
    '0040A160': a('UT', [text]),
  };
}

function dicomDateTime(ms: number): { date: string; time: string } {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    date: `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`,
  };
}

/**
 * A signed report as a Basic Text SR (PS3.3 A.35.1, TID 2000 "Basic Diagnostic Imaging Report"):
 * a CONTAINER titled LOINC 18748-4 holding Findings (DCM 121071), Impression (DCM 121073) and,
 * for amendments, the addendum as a Comment (DCM 121106).
 * Verification Flag VERIFIED with the signer in the Verifying Observer Sequence (C.17.2).
 */
export function buildBasicTextSr(
  report: ReportRecord,
  study: SrStudyContext,
  signerName: string,
  at: number,
): { dataset: DicomJsonDataset; bytes: Uint8Array; sopInstanceUID: string; seriesInstanceUID: string } {
  const sopInstanceUID = createUid();
  const seriesInstanceUID = createUid();
  const now = dicomDateTime(at);
  const content = [
    textItem('121071', 'Finding', report.findings),
    textItem('121073', 'Impression', report.impression),
  ];
  if (report.addendum) content.push(textItem('121106', 'Comment', `Addendum: ${report.addendum}`));
  const dataset: DicomJsonDataset = {
    '00080005': a('CS', ['ISO_IR 192']),
    '00080016': a('UI', [basicTextSrSopClassUID]),
    '00080018': a('UI', [sopInstanceUID]),
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
    '0008103E': a('LO', [`Report ${report.status}`]),
    '00100010': a('PN', study.patientName ? [{ Alphabetic: study.patientName }] : undefined),
    '00100020': a('LO', [study.patientId]),
    '00100030': a('DA', study.patientBirthDate ? [study.patientBirthDate] : undefined),
    '00100040': a('CS', study.patientSex ? [study.patientSex] : undefined),
    '0020000D': a('UI', [study.studyInstanceUID]),
    '0020000E': a('UI', [seriesInstanceUID]),
    '00200010': a('SH', study.studyId ? [study.studyId] : undefined),
    '00200011': a('IS', [9000 + report.version]),
    '00200013': a('IS', [1]),
    '00081111': a('SQ', []), // Referenced Performed Procedure Step Sequence (type 2)
    '0040A040': a('CS', ['CONTAINER']),
    '0040A043': a('SQ', [code('18748-4', 'LN', 'Diagnostic Imaging Report')]),
    '0040A050': a('CS', ['SEPARATE']),
    '0040A372': a('SQ', []), // Performed Procedure Code Sequence (type 2)
    '0040A491': a('CS', ['COMPLETE']),
    '0040A493': a('CS', ['VERIFIED']),
    '0040A073': a('SQ', [
      {
        '0040A027': a('LO', ['PacsKit']),
        '0040A030': a('DT', [`${now.date}${now.time}`]),
        '0040A075': a('PN', [{ Alphabetic: signerName }]),
        '0040A088': a('SQ', []),
      },
    ]),
    '0040A504': a('SQ', [{ '00080105': a('CS', ['DCMR']), '0040DB00': a('CS', ['2000']) }]),
    '0040A730': a('SQ', content),
  };
  return { dataset, bytes: writePart10({ dataset }), sopInstanceUID, seriesInstanceUID };
}
