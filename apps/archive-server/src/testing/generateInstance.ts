import { randomBytes } from 'node:crypto';

/**
 * A small synthetic instance generator for tests and the bench: Explicit VR Little Endian Part 10
 * bytes with a patient, study, series and a MONOCHROME2 16-bit image. It writes bytes directly
 * (until @pacskit/dicom's writePart10 lands) so it also produces deliberately odd files.
 */
export interface GeneratedInstanceOptions {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  sopClassUID?: string;
  patientID?: string;
  patientName?: string;
  patientBirthDate?: string;
  patientSex?: string;
  studyDate?: string;
  studyTime?: string;
  accessionNumber?: string;
  studyDescription?: string;
  modality?: string;
  seriesNumber?: number;
  instanceNumber?: number;
  rows?: number;
  columns?: number;
  /** Number of frames (default 1). */
  frames?: number;
  /** Extra elements appended as [tag, vr, value] (strings only), e.g. private tags. */
  extra?: Array<[string, string, string]>;
  /** Leave out these tags (to make invalid instances). */
  omit?: string[];
}

const longVRs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);

function element(tag: string, vr: string, value: Buffer): Buffer {
  const group = Number.parseInt(tag.slice(0, 4), 16);
  const elementNumber = Number.parseInt(tag.slice(4), 16);
  const padded =
    value.length % 2 === 1
      ? Buffer.concat([value, Buffer.from([vr === 'UI' || vr === 'OB' ? 0 : 0x20])])
      : value;
  const long = longVRs.has(vr);
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(elementNumber, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(padded.length, 8);
  else header.writeUInt16LE(padded.length, 6);
  return Buffer.concat([header, padded]);
}

function us(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value, 0);
  return b;
}

let counter = 0;
/** A fresh UID under the 2.25 (UUID-derived, PS3.5 B.2) root. */
export function newUid(): string {
  counter++;
  return `2.25.${BigInt(`0x${randomBytes(15).toString('hex')}`).toString()}${counter % 10}`;
}

export function generateInstance(options: GeneratedInstanceOptions): Buffer {
  const rows = options.rows ?? 16;
  const columns = options.columns ?? 16;
  const frames = options.frames ?? 1;
  const sopClassUID = options.sopClassUID ?? '1.2.840.10008.5.1.4.1.1.7'; // Secondary Capture
  const text = (v: string) => Buffer.from(v, 'latin1');
  const pixels = Buffer.alloc(rows * columns * 2 * frames);
  for (let i = 0; i < rows * columns * frames; i++) pixels.writeUInt16LE((i * 37) % 4096, i * 2);
  const elements: Array<[string, string, Buffer]> = [
    ['00080005', 'CS', text('ISO_IR 192')],
    ['00080016', 'UI', text(sopClassUID)],
    ['00080018', 'UI', text(options.sopInstanceUID)],
    ['00080020', 'DA', text(options.studyDate ?? '20240102')],
    ['00080030', 'TM', text(options.studyTime ?? '101500')],
    ['00080050', 'SH', text(options.accessionNumber ?? 'ACC1')],
    ['00080060', 'CS', text(options.modality ?? 'OT')],
    ['00080090', 'PN', text('Referrer^Rita')],
    ['00081030', 'LO', text(options.studyDescription ?? 'Generated study')],
    ['00100010', 'PN', Buffer.from(options.patientName ?? 'Doe^Jane', 'utf8')],
    ['00100020', 'LO', text(options.patientID ?? 'PAT1')],
    ['00100030', 'DA', text(options.patientBirthDate ?? '19700101')],
    ['00100040', 'CS', text(options.patientSex ?? 'F')],
    ['0020000D', 'UI', text(options.studyInstanceUID)],
    ['0020000E', 'UI', text(options.seriesInstanceUID)],
    ['00200010', 'SH', text('S1')],
    ['00200011', 'IS', text(String(options.seriesNumber ?? 1))],
    ['00200013', 'IS', text(String(options.instanceNumber ?? 1))],
    ['00280002', 'US', us(1)],
    ['00280004', 'CS', text('MONOCHROME2')],
    ...(frames > 1 ? ([['00280008', 'IS', text(String(frames))]] as Array<[string, string, Buffer]>) : []),
    ['00280010', 'US', us(rows)],
    ['00280011', 'US', us(columns)],
    ['00280100', 'US', us(16)],
    ['00280101', 'US', us(12)],
    ['00280102', 'US', us(11)],
    ['00280103', 'US', us(0)],
    ...(options.extra ?? []).map(([tag, vr, value]) => [tag, vr, text(value)] as [string, string, Buffer]),
    ['7FE00010', 'OW', pixels],
  ];
  const omit = new Set(options.omit ?? []);
  const dataset = Buffer.concat(
    elements
      .filter(([tag]) => !omit.has(tag))
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([tag, vr, value]) => element(tag, vr, value)),
  );
  const metaBody = Buffer.concat([
    element('00020001', 'OB', Buffer.from([0, 1])),
    element('00020002', 'UI', text(sopClassUID)),
    element('00020003', 'UI', text(options.sopInstanceUID)),
    element('00020010', 'UI', text('1.2.840.10008.1.2.1')),
    element('00020012', 'UI', text('1.2.826.0.1.3680043.10.1508')),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(metaBody.length, 0);
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM'),
    element('00020000', 'UL', groupLength),
    metaBody,
    dataset,
  ]);
}

export interface GeneratedCorpusOptions {
  studies: number;
  seriesPerStudy: number;
  instancesPerSeries: number;
  rows?: number;
  columns?: number;
}

export interface GeneratedStudy {
  studyInstanceUID: string;
  patientID: string;
  instances: Buffer[];
}

/** Studies of generated instances, patients PAT0000…, for tests and the bench. */
export function generateCorpus(options: GeneratedCorpusOptions): GeneratedStudy[] {
  const studies: GeneratedStudy[] = [];
  for (let s = 0; s < options.studies; s++) {
    const studyInstanceUID = newUid();
    const patientID = `PAT${String(s).padStart(4, '0')}`;
    const instances: Buffer[] = [];
    for (let se = 0; se < options.seriesPerStudy; se++) {
      const seriesInstanceUID = newUid();
      for (let i = 0; i < options.instancesPerSeries; i++) {
        instances.push(
          generateInstance({
            studyInstanceUID,
            seriesInstanceUID,
            sopInstanceUID: newUid(),
            patientID,
            patientName: `Patient^${s}`,
            modality: se % 2 === 0 ? 'CT' : 'MR',
            seriesNumber: se + 1,
            instanceNumber: i + 1,
            studyDate: `2024${String((s % 12) + 1).padStart(2, '0')}15`,
            ...(options.rows !== undefined ? { rows: options.rows } : {}),
            ...(options.columns !== undefined ? { columns: options.columns } : {}),
          }),
        );
      }
    }
    studies.push({ studyInstanceUID, patientID, instances });
  }
  return studies;
}

/** A multipart/related STOW-RS body (PS3.18 8.6.1.2) for these Part 10 files. */
export function stowBody(
  files: Buffer[],
  boundary = 'pacskit-test-boundary',
): { body: Buffer; contentType: string } {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
      file,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(parts),
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
  };
}
