import type { DicomJsonDataset } from '@pacskit/dicom';
import { getNumber, getNumbers, getText } from '../views/dicomJsonValues.js';
import { tags } from '../views/tags.js';

/**
 * Orders a series' instances for stacking: by the distance of ImagePositionPatient along the
 * slice normal (row × column direction of ImageOrientationPatient, PS3.3 C.7.6.2.1.1) when
 * every instance has a position and they share one orientation; otherwise by InstanceNumber;
 * SOPInstanceUID breaks ties so the order is stable.
 */
export function sortByImagePosition(datasets: readonly DicomJsonDataset[]): DicomJsonDataset[] {
  const orientation = getNumbers(datasets[0] ?? {}, tags.ImageOrientationPatient);
  const sameOrientation =
    orientation.length === 6 &&
    datasets.every((dataset) => {
      const other = getNumbers(dataset, tags.ImageOrientationPatient);
      return (
        other.length === 6 && other.every((value, index) => Math.abs(value - orientation[index]!) < 1e-4)
      );
    });
  const normal = sameOrientation ? cross(orientation.slice(0, 3), orientation.slice(3, 6)) : undefined;
  const distance = (dataset: DicomJsonDataset): number | undefined => {
    if (!normal) return undefined;
    const position = getNumbers(dataset, tags.ImagePositionPatient);
    if (position.length !== 3) return undefined;
    return position[0]! * normal[0]! + position[1]! * normal[1]! + position[2]! * normal[2]!;
  };
  const byPosition = normal !== undefined && datasets.every((dataset) => distance(dataset) !== undefined);
  return [...datasets].sort((a, b) => {
    if (byPosition) {
      const delta = distance(a)! - distance(b)!;
      if (Math.abs(delta) > 1e-6) return delta;
    }
    const numberDelta =
      (getNumber(a, tags.InstanceNumber) ?? Number.MAX_SAFE_INTEGER) -
      (getNumber(b, tags.InstanceNumber) ?? Number.MAX_SAFE_INTEGER);
    if (numberDelta !== 0) return numberDelta;
    return (getText(a, tags.SOPInstanceUID) ?? '').localeCompare(getText(b, tags.SOPInstanceUID) ?? '');
  });
}

function cross(a: number[], b: number[]): number[] {
  return [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
}
