import type { DicomJsonDataset } from '@pacskit/dicom';
import { isValidUid, PacsError } from '@pacskit/dicom';
import type { PixelDataLocation } from '../part10/readPart10.js';

export interface ArchiveValidation {
  warnings: string[];
}

function text(dataset: DicomJsonDataset, tag: string): string | undefined {
  const v = dataset[tag]?.Value?.[0];
  return typeof v === 'string' ? v : undefined;
}

function num(dataset: DicomJsonDataset, tag: string): number | undefined {
  const v = dataset[tag]?.Value?.[0];
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined;
}

/**
 * What the archive requires of an instance before storing it: the four identifying UIDs present
 * and valid (PS3.5 9.1); anything else questionable (pixel module inconsistent, meta/data set UID
 * disagreement) is a warning kept with the instance. Local until @pacskit/dicom's validateInstance lands.
 */
export function validateForArchive(
  meta: DicomJsonDataset,
  dataset: DicomJsonDataset,
  pixelData: PixelDataLocation | undefined,
): ArchiveValidation {
  const required: Array<[string, string]> = [
    ['00080016', 'SOPClassUID'],
    ['00080018', 'SOPInstanceUID'],
    ['0020000D', 'StudyInstanceUID'],
    ['0020000E', 'SeriesInstanceUID'],
  ];
  for (const [tag, keyword] of required) {
    const value = text(dataset, tag);
    if (value === undefined) {
      throw new PacsError('MISSING_ATTRIBUTE', `${keyword} is missing or empty`, {
        details: { tag, keyword },
      });
    }
    if (!isValidUid(value)) {
      throw new PacsError('INVALID_UID', `${keyword} is not a valid UID`, { details: { tag, keyword } });
    }
  }
  const warnings: string[] = [];
  const metaInstance = text(meta, '00020003');
  if (metaInstance !== undefined && metaInstance !== text(dataset, '00080018')) {
    warnings.push('MediaStorageSOPInstanceUID (0002,0003) differs from SOPInstanceUID (0008,0018)');
  }
  if (pixelData && !pixelData.encapsulated) {
    const rows = num(dataset, '00280010');
    const columns = num(dataset, '00280011');
    const bits = num(dataset, '00280100');
    const samples = num(dataset, '00280002') ?? 1;
    const frames = num(dataset, '00280008') ?? 1;
    if (rows === undefined || columns === undefined || bits === undefined) {
      warnings.push('pixel module incomplete: Rows, Columns or BitsAllocated missing (PS3.3 C.7.6.3)');
    } else {
      const expected = Math.ceil((rows * columns * samples * frames * bits) / 8);
      if (pixelData.length < expected) {
        warnings.push(
          `pixel module inconsistent: Pixel Data has ${pixelData.length} bytes, expected ${expected}`,
        );
      }
    }
  }
  return { warnings };
}
