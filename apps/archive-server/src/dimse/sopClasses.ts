/** The DIMSE services this SCP offers, each named after its PS3.4 service class. */
export type DimseService = 'echo' | 'store' | 'find' | 'move' | 'get' | 'worklist' | 'mpps' | 'commitment';

export const dimseServices: readonly DimseService[] = [
  'echo',
  'store',
  'find',
  'move',
  'get',
  'worklist',
  'mpps',
  'commitment',
];

export const sopClass = {
  verification: '1.2.840.10008.1.1',
  patientRootFind: '1.2.840.10008.5.1.4.1.2.1.1',
  patientRootMove: '1.2.840.10008.5.1.4.1.2.1.2',
  patientRootGet: '1.2.840.10008.5.1.4.1.2.1.3',
  studyRootFind: '1.2.840.10008.5.1.4.1.2.2.1',
  studyRootMove: '1.2.840.10008.5.1.4.1.2.2.2',
  studyRootGet: '1.2.840.10008.5.1.4.1.2.2.3',
  modalityWorklistFind: '1.2.840.10008.5.1.4.31',
  modalityPerformedProcedureStep: '1.2.840.10008.3.1.2.3.3',
  storageCommitmentPushModel: '1.2.840.10008.1.20.1',
} as const;

/** The well-known SOP Instance of Storage Commitment Push Model (PS3.4 J.3.5). */
export const storageCommitmentPushModelInstance = '1.2.840.10008.1.20.1.1';

const byAbstractSyntax = new Map<string, DimseService>([
  [sopClass.verification, 'echo'],
  [sopClass.patientRootFind, 'find'],
  [sopClass.studyRootFind, 'find'],
  [sopClass.patientRootMove, 'move'],
  [sopClass.studyRootMove, 'move'],
  [sopClass.patientRootGet, 'get'],
  [sopClass.studyRootGet, 'get'],
  [sopClass.modalityWorklistFind, 'worklist'],
  [sopClass.modalityPerformedProcedureStep, 'mpps'],
  [sopClass.storageCommitmentPushModel, 'commitment'],
]);

/**
 * Which service an abstract syntax asks for. Every standard storage SOP class lives under
 * 1.2.840.10008.5.1.4.1.1 (PS3.4 B.5, PS3.6 A); any UID outside the DICOM root is a private SOP
 * class, which the archive stores as received. Other standard SOP classes (print, detached
 * management, …) are not offered.
 */
export function serviceForAbstractSyntax(abstractSyntaxUID: string): DimseService | undefined {
  const known = byAbstractSyntax.get(abstractSyntaxUID);
  if (known) return known;
  if (abstractSyntaxUID.startsWith('1.2.840.10008.5.1.4.1.1.')) return 'store';
  if (!abstractSyntaxUID.startsWith('1.2.840.10008.')) return 'store';
  return undefined;
}

export const transferSyntax = {
  implicitVRLittleEndian: '1.2.840.10008.1.2',
  explicitVRLittleEndian: '1.2.840.10008.1.2.1',
} as const;

/**
 * Transfer syntaxes accepted for storage by default: the uncompressed ones, deflate, and the
 * encapsulated ones of PS3.5 A.4 — the archive stores bytes as received and does not decode them.
 */
export const defaultStorageTransferSyntaxes: readonly string[] = [
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2.1.99',
  '1.2.840.10008.1.2.2',
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.81',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.4.92',
  '1.2.840.10008.1.2.4.93',
  '1.2.840.10008.1.2.4.100',
  '1.2.840.10008.1.2.4.101',
  '1.2.840.10008.1.2.4.102',
  '1.2.840.10008.1.2.4.103',
  '1.2.840.10008.1.2.4.104',
  '1.2.840.10008.1.2.4.105',
  '1.2.840.10008.1.2.4.106',
  '1.2.840.10008.1.2.4.201',
  '1.2.840.10008.1.2.4.202',
  '1.2.840.10008.1.2.4.203',
  '1.2.840.10008.1.2.5',
];
