/** One TextDecoder per WHATWG encoding label, created on first use. */
const decoders = new Map<string, TextDecoder>();

export function textDecoderFor(label: string): TextDecoder {
  let decoder = decoders.get(label);
  if (decoder === undefined) {
    decoder = new TextDecoder(label);
    decoders.set(label, decoder);
  }
  return decoder;
}
