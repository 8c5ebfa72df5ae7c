import type { DicomJsonAttribute, DicomJsonValue, ValueRepresentation } from './dicomJson.js';
import { PacsError } from './pacsError.js';

/**
 * Binary numbers of US, SS, UL, SL, FL, FD, SV, UV and AT values (PS3.5 6.2) as DICOM JSON values:
 * numbers, 64-bit integers beyond 2^53 as decimal strings, AT as "GGGGEEEE".
 */
export function numericAttribute(
  tag: string,
  vr: ValueRepresentation,
  raw: Uint8Array,
  littleEndian: boolean,
): DicomJsonAttribute {
  const width = vr === 'US' || vr === 'SS' ? 2 : vr === 'FD' || vr === 'SV' || vr === 'UV' ? 8 : 4;
  if (raw.length % width !== 0) {
    throw new PacsError('DICOM_PARSE_ERROR', `length ${raw.length} of ${tag} is not a multiple of ${width}`, {
      details: { tag },
    });
  }
  if (raw.length === 0) return { vr };
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const values: DicomJsonValue[] = [];
  for (let offset = 0; offset < raw.length; offset += width) {
    switch (vr) {
      case 'US':
        values.push(view.getUint16(offset, littleEndian));
        break;
      case 'SS':
        values.push(view.getInt16(offset, littleEndian));
        break;
      case 'UL':
        values.push(view.getUint32(offset, littleEndian));
        break;
      case 'SL':
        values.push(view.getInt32(offset, littleEndian));
        break;
      case 'FL':
        values.push(view.getFloat32(offset, littleEndian));
        break;
      case 'FD':
        values.push(view.getFloat64(offset, littleEndian));
        break;
      case 'SV':
      case 'UV': {
        const big =
          vr === 'SV' ? view.getBigInt64(offset, littleEndian) : view.getBigUint64(offset, littleEndian);
        // Numbers beyond 2^53 stay exact as strings.
        values.push(
          big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
            ? Number(big)
            : big.toString(),
        );
        break;
      }
      default:
        values.push(
          hex4(view.getUint16(offset, littleEndian)) + hex4(view.getUint16(offset + 2, littleEndian)),
        );
    }
  }
  return { vr, Value: values };
}

const hex4 = (value: number): string => value.toString(16).toUpperCase().padStart(4, '0');
