import { textDecoderFor } from './textDecoders.js';

// ── ISO 2022 code extensions (PS3.5 6.1.2.5, Annexes H, I, J, K) ─────────────────────────────────
//
// dcmjs maps each term to one TextDecoder for the whole data set and refuses multi-valued (0008,0005)
// (it throws "Using multiple character sets is not supported", or with ignoreErrors keeps only the first
// term), so escape sequences switching between e.g. ISO 2022 IR 6, IR 87 and IR 13 within one value
// are decoded wrongly. Here the escape sequences are interpreted per value, starting from the first
// term's G0/G1 sets and resetting to them at the start of every value and component group (PS3.5 6.1.2.5.3).

type CodeElement = 'G0' | 'G1';

interface CharacterSetDesignation {
  /** The escape sequence bytes after ESC. */
  escape: readonly number[];
  element: CodeElement;
  /** How to decode bytes while this set is designated: a WHATWG label and how to map bytes to it. */
  decode: (bytes: Uint8Array) => string;
  /** Two bytes per character (JIS X 0208/0212, KS X 1001, GB 2312). */
  multiByte?: boolean;
  /** How to find a character's bytes (in the form they take in this code element), for encoding. */
  encoder?: () => Map<string, number[]>;
}

function singleByteUpper(label: string): (bytes: Uint8Array) => string {
  // G1 sets of ISO 8859: bytes 0xA0–0xFF decode with the matching ISO 8859 part.
  return (bytes) => textDecoderFor(label).decode(bytes);
}

function doubleByte94(label: string, setHighBit: boolean): (bytes: Uint8Array) => string {
  // JIS X 0208 / KS X 1001 / GB 2312 in ISO 2022 use bytes 0x21–0x7E (G0) or 0xA1–0xFE (G1). Their
  // EUC forms use 0xA1–0xFE for both bytes, so G0 bytes get the high bit set and EUC decodes them.
  return (bytes) => {
    const mapped = setHighBit
      ? bytes.map((byte) => (byte >= 0x21 && byte <= 0x7e ? byte | 0x80 : byte))
      : bytes;
    return textDecoderFor(label).decode(mapped);
  };
}

function jisX0212(bytes: Uint8Array): string {
  // EUC-JP encodes JIS X 0212 as 0x8F followed by two bytes with the high bit set.
  const mapped: number[] = [];
  for (let index = 0; index + 1 < bytes.length; index += 2) {
    mapped.push(0x8f, bytes[index]! | 0x80, bytes[index + 1]! | 0x80);
  }
  return textDecoderFor('euc-jp').decode(new Uint8Array(mapped));
}

function jisX0201Katakana(bytes: Uint8Array): string {
  // JIS X 0201 katakana in G1 (0xA1–0xDF) is Shift_JIS's single-byte half-width katakana.
  return textDecoderFor('shift_jis').decode(bytes);
}

function jisX0201Roman(bytes: Uint8Array): string {
  // JIS X 0201 Romaji differs from ASCII only at 0x5C (YEN SIGN) and 0x7E (OVERLINE). DICOM uses 0x5C
  // as the value delimiter whatever G0 holds, and pydicom (Python's shift_jis) reads both as ASCII, so
  // ASCII it is.
  return ascii(bytes);
}

function ascii(bytes: Uint8Array): string {
  return textDecoderFor('windows-1252').decode(bytes);
}

const encoderCache = new Map<string, Map<string, number[]>>();

function cachedEncoder(key: string, build: () => Map<string, number[]>): () => Map<string, number[]> {
  return () => {
    let table = encoderCache.get(key);
    if (table === undefined) {
      table = build();
      encoderCache.set(key, table);
    }
    return table;
  };
}

/** Characters of a single-byte set's upper half (0xA0–0xFF) → byte. */
function upperHalfEncoder(label: string): () => Map<string, number[]> {
  return cachedEncoder(`upper:${label}`, () => {
    const table = new Map<string, number[]>();
    const decoder = textDecoderFor(label);
    for (let byte = 0xa0; byte <= 0xff; byte++) {
      const char = decoder.decode(new Uint8Array([byte]));
      if (char !== '\ufffd' && !table.has(char)) table.set(char, [byte]);
    }
    return table;
  });
}

/** Characters of a 94×94 set → two bytes, found by decoding every EUC pair (with an optional prefix). */
function doubleByteEncoder(
  label: string,
  highBit: boolean,
  prefix: number[] = [],
): () => Map<string, number[]> {
  return cachedEncoder(`double:${label}:${highBit}:${prefix.join()}`, () => {
    const table = new Map<string, number[]>();
    const decoder = textDecoderFor(label);
    for (let first = 0xa1; first <= 0xfe; first++) {
      for (let second = 0xa1; second <= 0xfe; second++) {
        const char = decoder.decode(new Uint8Array([...prefix, first, second]));
        if (char.length === 0 || char.includes('\ufffd') || [...char].length !== 1 || table.has(char))
          continue;
        table.set(char, highBit ? [first, second] : [first & 0x7f, second & 0x7f]);
      }
    }
    return table;
  });
}

const katakanaEncoder = cachedEncoder('katakana', () => {
  const table = new Map<string, number[]>();
  const decoder = textDecoderFor('shift_jis');
  for (let byte = 0xa1; byte <= 0xdf; byte++) table.set(decoder.decode(new Uint8Array([byte])), [byte]);
  return table;
});

/** Defined terms with code extensions (PS3.3 C.12.1.1.2, Table C.12-3 and C.12-4). */
const iso2022Sets: Record<string, CharacterSetDesignation[]> = {
  ISO_2022_IR_6: [{ escape: [0x28, 0x42], element: 'G0', decode: ascii }],
  ISO_2022_IR_100: [
    {
      escape: [0x2d, 0x41],
      element: 'G1',
      decode: singleByteUpper('iso-8859-1'),
      encoder: upperHalfEncoder('iso-8859-1'),
    },
  ],
  ISO_2022_IR_101: [
    {
      escape: [0x2d, 0x42],
      element: 'G1',
      decode: singleByteUpper('iso-8859-2'),
      encoder: upperHalfEncoder('iso-8859-2'),
    },
  ],
  ISO_2022_IR_109: [
    {
      escape: [0x2d, 0x43],
      element: 'G1',
      decode: singleByteUpper('iso-8859-3'),
      encoder: upperHalfEncoder('iso-8859-3'),
    },
  ],
  ISO_2022_IR_110: [
    {
      escape: [0x2d, 0x44],
      element: 'G1',
      decode: singleByteUpper('iso-8859-4'),
      encoder: upperHalfEncoder('iso-8859-4'),
    },
  ],
  ISO_2022_IR_144: [
    {
      escape: [0x2d, 0x4c],
      element: 'G1',
      decode: singleByteUpper('iso-8859-5'),
      encoder: upperHalfEncoder('iso-8859-5'),
    },
  ],
  ISO_2022_IR_127: [
    {
      escape: [0x2d, 0x47],
      element: 'G1',
      decode: singleByteUpper('iso-8859-6'),
      encoder: upperHalfEncoder('iso-8859-6'),
    },
  ],
  ISO_2022_IR_126: [
    {
      escape: [0x2d, 0x46],
      element: 'G1',
      decode: singleByteUpper('iso-8859-7'),
      encoder: upperHalfEncoder('iso-8859-7'),
    },
  ],
  ISO_2022_IR_138: [
    {
      escape: [0x2d, 0x48],
      element: 'G1',
      decode: singleByteUpper('iso-8859-8'),
      encoder: upperHalfEncoder('iso-8859-8'),
    },
  ],
  ISO_2022_IR_148: [
    {
      escape: [0x2d, 0x4d],
      element: 'G1',
      decode: singleByteUpper('iso-8859-9'),
      encoder: upperHalfEncoder('iso-8859-9'),
    },
  ],
  ISO_2022_IR_203: [
    {
      escape: [0x2d, 0x62],
      element: 'G1',
      decode: singleByteUpper('iso-8859-15'),
      encoder: upperHalfEncoder('iso-8859-15'),
    },
  ],
  ISO_2022_IR_166: [
    {
      escape: [0x2d, 0x54],
      element: 'G1',
      decode: singleByteUpper('windows-874'),
      encoder: upperHalfEncoder('windows-874'),
    },
  ],
  ISO_2022_IR_13: [
    { escape: [0x29, 0x49], element: 'G1', decode: jisX0201Katakana, encoder: katakanaEncoder },
    { escape: [0x28, 0x4a], element: 'G0', decode: jisX0201Roman },
  ],
  ISO_2022_IR_87: [
    {
      escape: [0x24, 0x42],
      element: 'G0',
      decode: doubleByte94('euc-jp', true),
      multiByte: true,
      encoder: doubleByteEncoder('euc-jp', false),
    },
  ],
  ISO_2022_IR_159: [
    {
      escape: [0x24, 0x28, 0x44],
      element: 'G0',
      decode: jisX0212,
      multiByte: true,
      encoder: doubleByteEncoder('euc-jp', false, [0x8f]),
    },
  ],
  ISO_2022_IR_149: [
    {
      escape: [0x24, 0x29, 0x43],
      element: 'G1',
      decode: doubleByte94('euc-kr', true),
      multiByte: true,
      encoder: doubleByteEncoder('euc-kr', true),
    },
  ],
  ISO_2022_IR_58: [
    {
      escape: [0x24, 0x29, 0x41],
      element: 'G1',
      decode: doubleByte94('gb18030', true),
      multiByte: true,
      encoder: doubleByteEncoder('gb18030', true),
    },
  ],
};

interface Iso2022Designations {
  all: CharacterSetDesignation[];
  ascii: CharacterSetDesignation;
  initialG0: CharacterSetDesignation;
  initialG1: CharacterSetDesignation | undefined;
}

function iso2022Designations(terms: readonly string[]): Iso2022Designations {
  // ESC ( B (ASCII in G0) is accepted even when ISO 2022 IR 6 is not listed: writers use it to return
  // from JIS X 0208 (chrSQEncoding.dcm declares IR 13 and IR 87 and ends each run with ESC ( B).
  const designations: CharacterSetDesignation[] = [...iso2022Sets.ISO_2022_IR_6!];
  for (const term of terms) {
    // A single-byte term without ISO 2022 as the first value (e.g. "ISO_IR 100") means the same set.
    const key = term === '' ? 'ISO_2022_IR_6' : term.replace(/^ISO_IR_/, 'ISO_2022_IR_');
    designations.push(...(iso2022Sets[key] ?? []));
  }
  const ascii0 = iso2022Sets.ISO_2022_IR_6![0]!;
  const firstTerm = terms[0] === '' || terms[0] === undefined ? 'ISO_2022_IR_6' : terms[0];
  const initial = iso2022Sets[firstTerm.replace(/^ISO_IR_/, 'ISO_2022_IR_')] ?? [];
  const initialG0 = initial.find((set) => set.element === 'G0') ?? ascii0;
  const initialG1 = initial.find((set) => set.element === 'G1');
  return { all: designations, ascii: ascii0, initialG0, initialG1 };
}

export function decodeIso2022(bytes: Uint8Array, terms: readonly string[]): string {
  const { all: designations, ascii: ascii0, initialG0, initialG1 } = iso2022Designations(terms);
  let g0 = initialG0;
  let g1 = initialG1;

  let text = '';
  let run: number[] = [];
  let runSet: CharacterSetDesignation | undefined;
  const flush = (): void => {
    if (run.length > 0) {
      text += (runSet ?? ascii0).decode(new Uint8Array(run));
      run = [];
    }
  };
  const push = (byte: number, set: CharacterSetDesignation | undefined): void => {
    if (set !== runSet) {
      flush();
      runSet = set;
    }
    run.push(byte);
  };

  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    if (byte === 0x1b) {
      const match = designations.find((set) =>
        set.escape.every((value, offset) => bytes[index + 1 + offset] === value),
      );
      if (match !== undefined) {
        if (match.element === 'G0') g0 = match;
        else g1 = match;
        index += match.escape.length;
        continue;
      }
      // Unknown escape sequence: keep it as text rather than guessing.
      push(byte, ascii0);
      continue;
    }
    if (byte === 0x0d || byte === 0x0a || byte === 0x09 || byte === 0x0c) {
      // Control characters: back to the initial designations after end of line (PS3.5 6.1.2.5.3).
      push(byte, ascii0);
      if (byte === 0x0a || byte === 0x0c || byte === 0x0d) {
        g0 = initialG0;
        g1 = initialG1;
      }
      continue;
    }
    if (byte < 0x80) {
      if ((byte === 0x5c || byte === 0x3d || byte === 0x5e) && g0.multiByte !== true) {
        // Value and component delimiters reset the designations too (PS3.5 6.1.2.5.3).
        push(byte, ascii0);
        g0 = initialG0;
        g1 = initialG1;
        continue;
      }
      push(byte, g0);
    } else {
      push(byte, g1 ?? ascii0);
    }
  }
  flush();
  return text;
}

/**
 * ISO 2022 encoding with escape sequences (PS3.5 6.1.2.5): each character goes into the first listed
 * set that has it; before a delimiter ("\\", "^", "=") and at the end of the value a multi-byte G0 is
 * switched back to the initial G0, and after a delimiter the initial designations apply again, which is
 * what the decoder above (and pydicom, DCMTK) expect.
 */
export function encodeIso2022(text: string, terms: readonly string[]): Uint8Array | undefined {
  const { all, initialG0, initialG1 } = iso2022Designations(terms);
  const candidates = all.filter((set) => set.encoder !== undefined);
  let g0 = initialG0;
  let g1 = initialG1;
  const out: number[] = [];
  const designate = (set: CharacterSetDesignation): void => {
    out.push(0x1b, ...set.escape);
    if (set.element === 'G0') g0 = set;
    else g1 = set;
  };
  const leaveMultiByteG0 = (): void => {
    if (g0.multiByte === true) designate(initialG0.multiByte === true ? all[0]! : initialG0);
  };
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      leaveMultiByteG0();
      out.push(code);
      if (char === '\\' || char === '^' || char === '=' || char === '\r' || char === '\n') {
        g0 = initialG0;
        g1 = initialG1;
      }
      continue;
    }
    let encoded = false;
    for (const set of candidates) {
      const bytes = set.encoder!().get(char);
      if (bytes === undefined) continue;
      if (set.element === 'G0' ? g0 !== set : g1 !== set) designate(set);
      out.push(...bytes);
      encoded = true;
      break;
    }
    if (!encoded) return undefined;
  }
  leaveMultiByteG0();
  return new Uint8Array(out);
}
