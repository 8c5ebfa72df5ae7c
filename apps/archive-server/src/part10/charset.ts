/**
 * Maps Specific Character Set (0008,0005) defined terms (PS3.3 C.12.1.1.2) to WHATWG encodings.
 * ISO 2022 code extensions are decoded with their base set only; that is enough for indexing.
 */
const encodings: Record<string, string> = {
  '': 'latin1',
  ISO_IR_6: 'latin1',
  'ISO_IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 13': 'shift_jis',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
  'ISO 2022 IR 6': 'latin1',
  'ISO 2022 IR 100': 'latin1',
  'ISO 2022 IR 101': 'iso-8859-2',
  'ISO 2022 IR 144': 'iso-8859-5',
  'ISO 2022 IR 126': 'iso-8859-7',
  'ISO 2022 IR 138': 'iso-8859-8',
  'ISO 2022 IR 148': 'iso-8859-9',
  'ISO 2022 IR 13': 'shift_jis',
  'ISO 2022 IR 87': 'iso-2022-jp',
  'ISO 2022 IR 149': 'euc-kr',
  'ISO 2022 IR 58': 'gb18030',
};

const decoders = new Map<string, TextDecoder>();

export function decoderForCharset(terms: readonly string[]): TextDecoder {
  // With several terms, the first is the default repertoire and the others are switched to by
  // escape sequences; iso-2022-jp handles JIS escapes itself, so prefer it when present.
  const term = terms.includes('ISO 2022 IR 87')
    ? 'ISO 2022 IR 87'
    : (terms.find((t) => t !== '') ?? terms[0] ?? '');
  const encoding = encodings[term.trim()] ?? 'latin1';
  let decoder = decoders.get(encoding);
  if (!decoder) {
    decoder = new TextDecoder(encoding);
    decoders.set(encoding, decoder);
  }
  return decoder;
}
