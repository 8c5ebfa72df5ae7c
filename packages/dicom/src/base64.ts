/**
 * Base64 for DICOM JSON InlineBinary (PS3.18 F.2.7), without Node's Buffer so it runs in browsers.
 * Both directions work on byte arrays and convert text with one TextDecoder call: building strings
 * character by character took a minute for 100 MB of Pixel Data.
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const encodeTable = Uint8Array.from(alphabet, (char) => char.charCodeAt(0));
const decodeTable = new Uint8Array(256).fill(255);
for (let index = 0; index < alphabet.length; index++) decodeTable[alphabet.charCodeAt(index)] = index;

let asciiDecoder: TextDecoder | undefined;
const equalsSign = 61;

export function encodeBase64(bytes: Uint8Array): string {
  const length = bytes.length;
  const out = new Uint8Array(Math.ceil(length / 3) * 4);
  let outIndex = 0;
  let index = 0;
  for (; index + 2 < length; index += 3) {
    const triple = (bytes[index]! << 16) | (bytes[index + 1]! << 8) | bytes[index + 2]!;
    out[outIndex++] = encodeTable[triple >> 18]!;
    out[outIndex++] = encodeTable[(triple >> 12) & 63]!;
    out[outIndex++] = encodeTable[(triple >> 6) & 63]!;
    out[outIndex++] = encodeTable[triple & 63]!;
  }
  if (index < length) {
    const a = bytes[index]!;
    const b = index + 1 < length ? bytes[index + 1]! : 0;
    const triple = (a << 16) | (b << 8);
    out[outIndex++] = encodeTable[triple >> 18]!;
    out[outIndex++] = encodeTable[(triple >> 12) & 63]!;
    out[outIndex++] = index + 1 < length ? encodeTable[(triple >> 6) & 63]! : equalsSign;
    out[outIndex++] = equalsSign;
  }
  // Base64 text is ASCII, so UTF-8 decodes it unchanged, and V8's UTF-8 decoder is the fastest one.
  asciiDecoder ??= new TextDecoder('utf-8');
  return asciiDecoder.decode(out);
}

/** Decodes base64 (whitespace ignored); returns undefined when the text is not valid base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const clean = /[\s]/.test(text) ? text.replace(/\s+/g, '') : text;
  if (clean.length % 4 !== 0) return undefined;
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((clean.length / 4) * 3 - padding);
  let outIndex = 0;
  const fullGroups = clean.length - (padding > 0 ? 4 : 0);
  for (let index = 0; index < fullGroups; index += 4) {
    const a = decodeTable[clean.charCodeAt(index)]!;
    const b = decodeTable[clean.charCodeAt(index + 1)]!;
    const c = decodeTable[clean.charCodeAt(index + 2)]!;
    const d = decodeTable[clean.charCodeAt(index + 3)]!;
    if ((a | b | c | d) === 255) return undefined;
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    out[outIndex++] = triple >> 16;
    out[outIndex++] = (triple >> 8) & 255;
    out[outIndex++] = triple & 255;
  }
  if (padding > 0) {
    const index = fullGroups;
    const a = decodeTable[clean.charCodeAt(index)]!;
    const b = decodeTable[clean.charCodeAt(index + 1)]!;
    const c = padding === 1 ? decodeTable[clean.charCodeAt(index + 2)]! : 0;
    if ((a | b | c) === 255) return undefined;
    const triple = (a << 18) | (b << 12) | (c << 6);
    out[outIndex++] = triple >> 16;
    if (padding === 1) out[outIndex++] = (triple >> 8) & 255;
  }
  return out;
}
