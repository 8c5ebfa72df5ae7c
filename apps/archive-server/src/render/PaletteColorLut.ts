import { type DicomJsonDataset, PacsError } from '@pacskit/dicom';

/** One channel of a Palette Color Lookup Table (PS3.3 C.7.6.3.1.5/6), entries scaled to 8 bits. */
interface PaletteChannel {
  /** Number of entries (a descriptor value of 0 means 65536). */
  entries: number;
  /** The first stored pixel value mapped; values below map to entry 0, above to the last. */
  firstMapped: number;
  table: Uint8Array;
}

/** Red, green and blue descriptor and data tags. */
const channels = [
  { descriptor: '00281101', data: '00281201', segmented: '00281221' },
  { descriptor: '00281102', data: '00281202', segmented: '00281222' },
  { descriptor: '00281103', data: '00281203', segmented: '00281223' },
] as const;

/** The tags whose bytes a palette needs; RenderService fetches them (inline or bulk data). */
export const paletteDataTags = channels.map((channel) => channel.data);

/**
 * A PALETTE COLOR lookup table built from the descriptors (US/SS, VM 3: entries, first mapped
 * value, bits per entry) and the LUT Data bytes (little endian OW). Segmented LUTs (C.7.9.2) are
 * refused with CANNOT_RENDER.
 */
export class PaletteColorLut {
  private constructor(
    private readonly red: PaletteChannel,
    private readonly green: PaletteChannel,
    private readonly blue: PaletteChannel,
  ) {}

  static from(dataset: DicomJsonDataset, lutData: Map<string, Uint8Array>): PaletteColorLut {
    const built = channels.map((channel) => {
      const descriptor = dataset[channel.descriptor]?.Value;
      const data = lutData.get(channel.data);
      if (!data && dataset[channel.segmented]) {
        throw new PacsError('CANNOT_RENDER', 'segmented palette color lookup tables are not supported');
      }
      if (descriptor?.length !== 3 || !data) {
        throw new PacsError('CANNOT_RENDER', 'PALETTE COLOR without a complete lookup table', {
          details: { tag: channel.data },
        });
      }
      const [entriesValue, firstMappedValue, bitsValue] = descriptor.map(Number) as [number, number, number];
      const entries = entriesValue === 0 ? 65536 : entriesValue;
      return { entries, firstMapped: firstMappedValue, table: scaleEntries(data, entries, bitsValue) };
    }) as [PaletteChannel, PaletteChannel, PaletteChannel];
    return new PaletteColorLut(...built);
  }

  /** Maps stored pixel values to interleaved 8-bit RGB. */
  apply(values: ArrayLike<number>): Buffer {
    const out = Buffer.allocUnsafe(values.length * 3);
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as number;
      out[i * 3] = lookUp(this.red, value);
      out[i * 3 + 1] = lookUp(this.green, value);
      out[i * 3 + 2] = lookUp(this.blue, value);
    }
    return out;
  }
}

function lookUp(channel: PaletteChannel, value: number): number {
  const index = value - channel.firstMapped;
  return channel.table[index < 0 ? 0 : index >= channel.entries ? channel.entries - 1 : index] as number;
}

function scaleEntries(data: Uint8Array, entries: number, bits: number): Uint8Array {
  const table = new Uint8Array(entries);
  if (bits === 8 && data.length < entries * 2) {
    // 8-bit entries packed one per byte (C.7.6.3.1.6: "equivalent to 8 bits allocated").
    if (data.length < entries)
      throw new PacsError('CANNOT_RENDER', 'palette LUT data is shorter than its descriptor');
    table.set(data.subarray(0, entries));
    return table;
  }
  if (data.length < entries * 2)
    throw new PacsError('CANNOT_RENDER', 'palette LUT data is shorter than its descriptor');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // 16-bit entries keep their high byte; some writers put 8-bit entries in 16-bit words, one each.
  let widest = 0;
  for (let i = 0; i < entries; i++) widest = Math.max(widest, view.getUint16(i * 2, true));
  const shift = bits === 8 && widest < 256 ? 0 : 8;
  for (let i = 0; i < entries; i++) table[i] = view.getUint16(i * 2, true) >> shift;
  return table;
}
