/**
 * Base64 for DICOM JSON InlineBinary (PS3.18 F.2.7), without Node's Buffer so it runs in browsers.
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const lookup = new Uint8Array(256).fill(255);
for (let index = 0; index < alphabet.length; index++) lookup[alphabet.charCodeAt(index)] = index;

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const a = bytes[index]!;
    const b = index + 1 < bytes.length ? bytes[index + 1]! : 0;
    const c = index + 2 < bytes.length ? bytes[index + 2]! : 0;
    const triple = (a << 16) | (b << 8) | c;
    chunk +=
      alphabet[(triple >> 18) & 63]! +
      alphabet[(triple >> 12) & 63]! +
      (index + 1 < bytes.length ? alphabet[(triple >> 6) & 63]! : '=') +
      (index + 2 < bytes.length ? alphabet[triple & 63]! : '=');
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/** Decodes base64; returns undefined when the text is not valid base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const clean = text.replace(/[\r\n\s]/g, '');
  if (clean.length % 4 !== 0) return undefined;
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((clean.length / 4) * 3 - padding);
  let outIndex = 0;
  for (let index = 0; index < clean.length; index += 4) {
    const values = [0, 1, 2, 3].map((offset) => {
      const char = clean.charCodeAt(index + offset);
      return char === 61 ? 0 : lookup[char]!;
    });
    if (values.some((value) => value === 255)) return undefined;
    const triple = (values[0]! << 18) | (values[1]! << 12) | (values[2]! << 6) | values[3]!;
    if (outIndex < out.length) out[outIndex++] = (triple >> 16) & 255;
    if (outIndex < out.length) out[outIndex++] = (triple >> 8) & 255;
    if (outIndex < out.length) out[outIndex++] = triple & 255;
  }
  return out;
}
