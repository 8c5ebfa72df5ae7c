import type { DicomJsonDataset, PersonNameValue } from '@pacskit/dicom';

/**
 * Small value accessors for DICOM JSON (PS3.18 F.2) by tag. Local rather than @pacskit/dicom's
 * getString/getNumber, which resolve keywords through the dcmjs dictionary and would put it in
 * every bundle that imports an adapter (see keywordDictionary.ts).
 */
export function firstValue(dataset: DicomJsonDataset, tag: string): unknown {
  return dataset[tag]?.Value?.[0] ?? undefined;
}

/** The first value as text; a PN gives its Alphabetic group (PS3.18 F.2.2). */
export function getText(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = firstValue(dataset, tag);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && 'Alphabetic' in value) return (value as PersonNameValue).Alphabetic;
  return undefined;
}

/** Every value as text (multi-valued CS such as ModalitiesInStudy). */
export function getTexts(dataset: DicomJsonDataset, tag: string): string[] {
  const values = dataset[tag]?.Value ?? [];
  return values.flatMap((value) =>
    typeof value === 'string' ? [value] : typeof value === 'number' ? [String(value)] : [],
  );
}

/** The first value as a number; IS/DS arrive as numbers or numeric strings depending on the server. */
export function getNumber(dataset: DicomJsonDataset, tag: string): number | undefined {
  const value = firstValue(dataset, tag);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** Every value as a number (ImagePositionPatient, ImageOrientationPatient). */
export function getNumbers(dataset: DicomJsonDataset, tag: string): number[] {
  return (dataset[tag]?.Value ?? []).flatMap((value) => {
    const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    return Number.isFinite(parsed) ? [parsed] : [];
  });
}
