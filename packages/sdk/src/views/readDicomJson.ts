import { PacsError } from '@pacskit/dicom';
import type { DicomJsonDataset } from '@pacskit/dicom';

/**
 * Checks that a parsed answer is a DICOM JSON array of data sets (PS3.18 F.2): an array of
 * objects whose keys are 8-hex-digit tags with a `vr`. Anything else is a BAD_RESPONSE, never
 * an empty result.
 */
export function readDicomJsonArray(value: unknown, source: string, httpStatus?: number): DicomJsonDataset[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new PacsError('BAD_RESPONSE', 'expected a DICOM JSON array', { source, httpStatus });
  }
  return value.map((item) => readDicomJsonDataset(item, source, httpStatus));
}

export function readDicomJsonDataset(value: unknown, source: string, httpStatus?: number): DicomJsonDataset {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PacsError('BAD_RESPONSE', 'expected a DICOM JSON data set', { source, httpStatus });
  }
  for (const [key, attribute] of Object.entries(value)) {
    if (
      !/^[0-9A-Fa-f]{8}$/.test(key) ||
      attribute === null ||
      typeof attribute !== 'object' ||
      !('vr' in attribute)
    ) {
      throw new PacsError('BAD_RESPONSE', 'malformed DICOM JSON attribute', {
        source,
        httpStatus,
        details: { tag: key },
      });
    }
  }
  return value as DicomJsonDataset;
}
