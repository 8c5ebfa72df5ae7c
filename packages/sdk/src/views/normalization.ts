import type { DicomJsonDataset } from '@pacskit/dicom';

export type DatasetLevel = 'study' | 'series' | 'instance' | 'metadata';

export interface NormalizationContext {
  level: DatasetLevel;
  /** The adapter id. */
  source: string;
}

/**
 * The vendor normalisation hook: fixes one archive's attributes so results look the same
 * whatever the archive (private tag mapping, PN formatting, missing computed attributes).
 * Runs on every data set an adapter returns, before the typed view is built.
 */
export type DatasetNormalizer = (
  dataset: DicomJsonDataset,
  context: NormalizationContext,
) => DicomJsonDataset;

/** Applies normalisers in order. */
export function composeNormalizers(...normalizers: (DatasetNormalizer | undefined)[]): DatasetNormalizer {
  const present = normalizers.filter(
    (normalizer): normalizer is DatasetNormalizer => normalizer !== undefined,
  );
  return (dataset, context) => present.reduce((current, normalizer) => normalizer(current, context), dataset);
}
