import { getNumber, getString } from './attributeAccessors.js';
import type { DicomJsonDataset } from './dicomJson.js';
import type { PacsErrorCode } from './pacsError.js';
import { transferSyntaxEncoding } from './transferSyntax.js';
import { isValidUid } from './uid.js';

/** One problem found by `validateInstance`, with the status a server reports for it. */
export interface ValidationIssue {
  code: PacsErrorCode;
  tag?: string;
  message: string;
  /**
   * The Failure Reason (0008,1197) or Warning Reason (0008,1196) of PS3.18 / PS3.4 Annex B:
   * 0xA900 data set does not match SOP class (error), 0xC000 cannot understand,
   * 0xB007 data set does not match SOP class (warning), 0xB000 coercion of data elements.
   */
  failureReason: number;
}

export interface ValidateInstanceOptions {
  /** The transfer syntax the instance came in; Pixel Data length is checked for native ones. */
  transferSyntaxUID?: string;
  /** File Meta Information: its SOP Class/Instance UIDs must agree with the data set's (PS3.10 7.1). */
  meta?: DicomJsonDataset;
  /**
   * Byte length of Pixel Data when the data set was read without it (`parsePart10` with `untilTag` or
   * a BulkDataURI); the Image Pixel module is then checked against this length.
   */
  pixelDataLength?: number;
  /**
   * `strict` (default) rejects what PS3.4 B.2.3 lets a receiver reject. `archive` stores what it
   * can still index and serve, as Orthanc does: a missing Modality and Image Pixel module problems
   * become warnings (0xB007); missing or invalid identifying UIDs stay errors.
   */
  policy?: 'strict' | 'archive';
}

const requiredUids: ReadonlyArray<[string, string]> = [
  ['00080016', 'SOP Class UID'],
  ['00080018', 'SOP Instance UID'],
  ['0020000D', 'Study Instance UID'],
  ['0020000E', 'Series Instance UID'],
];

const pixelAttributes: ReadonlyArray<[string, string]> = [
  ['00280002', 'Samples per Pixel'],
  ['00280004', 'Photometric Interpretation'],
  ['00280010', 'Rows'],
  ['00280011', 'Columns'],
  ['00280100', 'Bits Allocated'],
  ['00280101', 'Bits Stored'],
  ['00280102', 'High Bit'],
];

const samplesForPhotometric: Record<string, number> = {
  MONOCHROME1: 1,
  MONOCHROME2: 1,
  'PALETTE COLOR': 1,
  RGB: 3,
  YBR_FULL: 3,
  YBR_FULL_422: 3,
  YBR_PARTIAL_420: 3,
  YBR_ICT: 3,
  YBR_RCT: 3,
  XYB: 3,
};

/**
 * Checks what an archive needs before it stores an instance (PS3.4 B.2.3 / PS3.18 10.5): the SOP
 * Class, SOP Instance, Study and Series UIDs present and valid (PS3.5 9.1), Modality present, Patient
 * ID present (a warning when empty), and an Image Pixel module (PS3.3 C.7.6.3) consistent with its
 * Pixel Data. Never throws: anything unreadable is reported as an issue.
 */
export function validateInstance(
  dataset: DicomJsonDataset,
  options: ValidateInstanceOptions = {},
): { errors: ValidationIssue[]; warnings: ValidationIssue[] } {
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const error = (
    code: PacsErrorCode,
    tag: string | undefined,
    message: string,
    failureReason = 0xa900,
  ): void => {
    errors.push({ code, ...(tag === undefined ? {} : { tag }), message, failureReason });
  };
  const warning = (
    code: PacsErrorCode,
    tag: string | undefined,
    message: string,
    failureReason = 0xb007,
  ): void => {
    warnings.push({ code, ...(tag === undefined ? {} : { tag }), message, failureReason });
  };
  try {
    if (dataset === null || typeof dataset !== 'object' || Array.isArray(dataset)) {
      error('DICOM_PARSE_ERROR', undefined, 'not a DICOM JSON data set', 0xc000);
      return { errors, warnings };
    }
    for (const [tag, name] of requiredUids) {
      const uid = getString(dataset, tag);
      if (uid === undefined || uid === '') error('MISSING_ATTRIBUTE', tag, `${name} is missing`);
      else if (!isValidUid(uid)) error('INVALID_UID', tag, `${name} is not a valid UID`);
    }
    // Under the archive policy these problems are warnings: the instance is still identifiable.
    const lenientError = options.policy === 'archive' ? warning : error;
    const modality = getString(dataset, '00080060');
    if (modality === undefined || modality === '')
      lenientError('MISSING_ATTRIBUTE', '00080060', 'Modality is missing');
    const patientId = getString(dataset, '00100020');
    if (patientId === undefined || patientId.trim() === '') {
      warning('MISSING_ATTRIBUTE', '00100020', 'Patient ID is empty');
    }
    for (const [metaTag, tag, name] of [
      ['00020002', '00080016', 'Media Storage SOP Class UID'],
      ['00020003', '00080018', 'Media Storage SOP Instance UID'],
    ] as const) {
      const inMeta = options.meta === undefined ? undefined : getString(options.meta, metaTag);
      if (inMeta !== undefined && inMeta !== getString(dataset, tag)) {
        warning('DATASET_MISMATCH', metaTag, `${name} differs from the data set`);
      }
    }
    if (dataset['7FE00010'] !== undefined || options.pixelDataLength !== undefined) {
      validatePixels(dataset, options, lenientError, warning);
    }
  } catch (cause) {
    error(
      'DICOM_PARSE_ERROR',
      undefined,
      `cannot validate: ${(cause as Error)?.message ?? 'unknown error'}`,
      0xc000,
    );
  }
  return { errors, warnings };
}

function validatePixels(
  dataset: DicomJsonDataset,
  options: ValidateInstanceOptions,
  error: (code: PacsErrorCode, tag: string | undefined, message: string, failureReason?: number) => void,
  warning: (code: PacsErrorCode, tag: string | undefined, message: string, failureReason?: number) => void,
): void {
  let complete = true;
  for (const [tag, name] of pixelAttributes) {
    const present = tag === '00280004' ? getString(dataset, tag) : getNumber(dataset, tag);
    if (present === undefined) {
      error('MISSING_ATTRIBUTE', tag, `${name} is missing but Pixel Data is present`);
      complete = false;
    }
  }
  if (!complete) return;
  const samples = getNumber(dataset, '00280002')!;
  const photometric = getString(dataset, '00280004')!.trim();
  const rows = getNumber(dataset, '00280010')!;
  const columns = getNumber(dataset, '00280011')!;
  const bitsAllocated = getNumber(dataset, '00280100')!;
  const bitsStored = getNumber(dataset, '00280101')!;
  const highBit = getNumber(dataset, '00280102')!;
  const frames = getNumber(dataset, '00280008') ?? 1;
  if (rows < 1 || columns < 1) error('DATASET_MISMATCH', '00280010', 'Rows and Columns must be at least 1');
  if (bitsAllocated !== 1 && bitsAllocated % 8 !== 0) {
    error('DATASET_MISMATCH', '00280100', 'Bits Allocated must be 1 or a multiple of 8');
  }
  if (bitsStored < 1 || bitsStored > bitsAllocated) {
    error('DATASET_MISMATCH', '00280101', 'Bits Stored must be between 1 and Bits Allocated');
  }
  if (highBit !== bitsStored - 1)
    warning('DATASET_MISMATCH', '00280102', 'High Bit should be Bits Stored − 1');
  const expectedSamples = samplesForPhotometric[photometric];
  if (expectedSamples === undefined) {
    warning('DATASET_MISMATCH', '00280004', 'unknown Photometric Interpretation');
  } else if (expectedSamples !== samples) {
    error('DATASET_MISMATCH', '00280002', `Samples per Pixel must be ${expectedSamples} for ${photometric}`);
  }
  if (samples > 1 && getNumber(dataset, '00280006') === undefined) {
    error('MISSING_ATTRIBUTE', '00280006', 'Planar Configuration is missing for a colour image');
  }
  if (!Number.isInteger(frames) || frames < 1)
    error('DATASET_MISMATCH', '00280008', 'Number of Frames must be ≥ 1');

  const pixelData = dataset['7FE00010'];
  const encoding =
    options.transferSyntaxUID === undefined ? undefined : transferSyntaxEncoding(options.transferSyntaxUID);
  if (encoding?.encapsulated === true) return;
  const inline = pixelData?.InlineBinary;
  if (inline?.startsWith('/v8A4')) return; // an item stream (encapsulated)
  const length = options.pixelDataLength ?? (inline === undefined ? undefined : base64Length(inline));
  if (length === undefined) return;
  // YBR_FULL_422 without compression stores two samples per pixel (PS3.3 C.7.6.3.1.2).
  const storedSamples = photometric === 'YBR_FULL_422' ? 2 : samples;
  const expected = Math.ceil((rows * columns * storedSamples * frames * bitsAllocated) / 8);
  if (length < expected) {
    error(
      'DATASET_MISMATCH',
      '7FE00010',
      `Pixel Data is ${length} bytes; Rows × Columns × Samples × Bits Allocated/8 × Frames is ${expected}`,
    );
  } else if (length > expected + 1) {
    // PS3.5 8.1.1 allows one pad byte; more is tolerated by readers, so it is only a warning.
    warning(
      'DATASET_MISMATCH',
      '7FE00010',
      `Pixel Data has ${length - expected} bytes after the last frame`,
      0xb000,
    );
  }
}

function base64Length(text: string): number {
  const clean = text.replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return (clean.length / 4) * 3 - padding;
}
