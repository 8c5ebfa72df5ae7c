import type { DicomJsonDataset } from '@pacskit/dicom';

/** The Image Pixel module attributes that say how a frame's bytes are laid out (PS3.3 C.7.6.3). */
export interface PixelLayout {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  /** 1: two's complement samples. */
  pixelRepresentation: number;
  /** 1: all of the first sample, then the second… (colour by plane). */
  planarConfiguration: number;
  photometricInterpretation: string;
}

function numberValue(dataset: DicomJsonDataset, tag: string): number | undefined {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'number'
    ? value
    : typeof value === 'string' && value !== ''
      ? Number(value)
      : undefined;
}

export function pixelLayoutOf(dataset: DicomJsonDataset): PixelLayout {
  const bitsAllocated = numberValue(dataset, '00280100') ?? 8;
  const photometric = dataset['00280004']?.Value?.[0];
  return {
    rows: numberValue(dataset, '00280010') ?? 0,
    columns: numberValue(dataset, '00280011') ?? 0,
    samplesPerPixel: numberValue(dataset, '00280002') ?? 1,
    bitsAllocated,
    bitsStored: numberValue(dataset, '00280101') ?? bitsAllocated,
    pixelRepresentation: numberValue(dataset, '00280103') ?? 0,
    planarConfiguration: numberValue(dataset, '00280006') ?? 0,
    photometricInterpretation: typeof photometric === 'string' ? photometric.trim() : 'MONOCHROME2',
  };
}
