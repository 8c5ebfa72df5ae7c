import type { DicomJsonDataset } from '@pacskit/dicom';
import { writePart10 } from '@pacskit/dicom';
import { createUid } from './createUid.js';
import { type SrStudyContext, attribute, code, dicomDateTime, srDocumentHeader } from './srDocument.js';
import type { ReportRecord } from './WorkflowRecords.js';

export const basicTextSrSopClassUID = '1.2.840.10008.5.1.4.1.1.88.11';

const a = attribute;

function textItem(conceptValue: string, meaning: string, text: string): DicomJsonDataset {
  return {
    '0040A010': a('CS', ['CONTAINS']),
    '0040A040': a('CS', ['TEXT']),
    '0040A043': a('SQ', [code(conceptValue, 'DCM', meaning)]),
    '0040A160': a('UT', [text]),
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
    ...srDocumentHeader({
      study,
      sopClassUID: basicTextSrSopClassUID,
      sopInstanceUID,
      seriesInstanceUID: seriesInstanceUID,
      seriesDescription: `Report ${report.status}`,
      seriesNumber: 9000 + report.version,
      now,
    }),
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
