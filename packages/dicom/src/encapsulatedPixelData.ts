import { PacsError } from './pacsError.js';

/** Encapsulated Pixel Data split into its Basic Offset Table and fragments (PS3.5 A.4). */
export interface EncapsulatedPixelData {
  /** Byte offsets of each frame's first fragment, relative to the first fragment item; [] when empty. */
  basicOffsetTable: number[];
  fragments: Uint8Array[];
}

/**
 * Splits the item stream that `parsePart10` keeps as the InlineBinary of encapsulated Pixel Data
 * (items FFFE,E000 each with a 32-bit little endian length; the first is the Basic Offset Table).
 */
export function splitEncapsulatedPixelData(itemStream: Uint8Array): EncapsulatedPixelData {
  const view = new DataView(itemStream.buffer, itemStream.byteOffset, itemStream.byteLength);
  const items: Uint8Array[] = [];
  let offset = 0;
  while (offset + 8 <= itemStream.length) {
    if (view.getUint16(offset, true) !== 0xfffe || view.getUint16(offset + 2, true) !== 0xe000) {
      throw new PacsError('DICOM_PARSE_ERROR', `expected a fragment item at byte ${offset}`);
    }
    const length = view.getUint32(offset + 4, true);
    if (offset + 8 + length > itemStream.length) {
      throw new PacsError('DICOM_PARSE_ERROR', `fragment at byte ${offset} runs past the end`);
    }
    items.push(itemStream.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  if (offset !== itemStream.length || items.length === 0) {
    throw new PacsError('DICOM_PARSE_ERROR', 'encapsulated pixel data has no Basic Offset Table item');
  }
  const table = items[0]!;
  const tableView = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const basicOffsetTable: number[] = [];
  for (let index = 0; index + 4 <= table.length; index += 4)
    basicOffsetTable.push(tableView.getUint32(index, true));
  return { basicOffsetTable, fragments: items.slice(1) };
}
