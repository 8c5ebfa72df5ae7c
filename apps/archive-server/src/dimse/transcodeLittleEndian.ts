import { createRequire } from 'node:module';
import { PacsError } from '@pacskit/dicom';

interface DicomDict {
  meta: Record<string, { vr: string; Value?: unknown[] }>;
  dict: Record<string, { vr: string; Value?: unknown[] }>;
  write(): ArrayBuffer;
}
const require = createRequire(import.meta.url);
const dcmjs = require('dcmjs') as {
  data: { DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDict } };
};

export const implicitVRLittleEndian = '1.2.840.10008.1.2';
export const explicitVRLittleEndian = '1.2.840.10008.1.2.1';
const convertible = new Set([implicitVRLittleEndian, explicitVRLittleEndian]);

/** US or SS attributes whose VR follows Pixel Representation (PS3.5 6.2 "US or SS"). */
const pixelRepresentationDependent = [
  '00280106',
  '00280107',
  '00280108',
  '00280109',
  '00280110',
  '00280111',
  '00280120',
];

export function canTranscode(from: string, to: string): boolean {
  return from !== to && convertible.has(from) && convertible.has(to);
}

/**
 * Re-encodes a Part 10 instance between Implicit and Explicit VR Little Endian, for a C-GET/C-MOVE
 * peer that accepted only the other one (getscu proposes one syntax per storage context). dcmjs's
 * data-dictionary form keeps private attributes (unknown ones as UN, PS3.5 6.2.2) and values; only
 * this fallback path re-encodes — an instance in an accepted syntax is sent as stored.
 */
export function transcodeLittleEndian(part10: Buffer, to: string): Buffer {
  let parsed: DicomDict;
  try {
    parsed = dcmjs.data.DicomMessage.readFile(new Uint8Array(part10).buffer, { ignoreErrors: true });
  } catch (cause) {
    throw new PacsError('DICOM_PARSE_ERROR', 'cannot re-encode the stored instance', { cause });
  }
  // dcmjs reads "US or SS" as US; Pixel Representation 1 means signed (PS3.3 C.7.6.3.1).
  if (parsed.dict['00280103']?.Value?.[0] === 1) {
    for (const tag of pixelRepresentationDependent) {
      const attribute = parsed.dict[tag];
      if (attribute && attribute.vr === 'US') attribute.vr = 'SS';
    }
  }
  parsed.meta['00020010'] = { vr: 'UI', Value: [to] };
  return Buffer.from(parsed.write());
}
