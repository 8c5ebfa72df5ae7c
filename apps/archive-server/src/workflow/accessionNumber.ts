import { PacsError } from '@pacskit/dicom';

/**
 * Accession numbers from a configurable pattern, e.g. `ACC{YYYY}{MM}{DD}{SEQ:4}` →
 * `ACC202601010001`. Tokens: {YYYY} {YY} {MM} {DD} {SEQ:n}; literals are A–Z, 0–9 and '-'.
 * The sequence restarts for each distinct date part, so the store keeps one counter per date
 * prefix. Accession Number (0008,0050) is SH: the longest output must fit 16 characters (PS3.5 6.2).
 */
export interface AccessionNumberFormat {
  pattern: string;
  /** Counter key for a date: the pattern with the date tokens filled and the sequence left out. */
  counterKey(date: Date): string;
  format(date: Date, sequence: number): string;
  /** Reads a value back; `undefined` when it does not follow the pattern. */
  parse(value: string): { year?: number; month?: number; day?: number; sequence: number } | undefined;
  maxSequence: number;
}

type Token =
  | { kind: 'literal'; text: string }
  | { kind: 'YYYY' | 'YY' | 'MM' | 'DD' }
  | { kind: 'SEQ'; width: number };

const widths = { YYYY: 4, YY: 2, MM: 2, DD: 2 } as const;

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  const re = /\{(YYYY|YY|MM|DD|SEQ:(\d{1,2}))\}|([A-Z0-9-]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  // biome-ignore lint/suspicious/noAssignInExpressions: the classic sticky-regex scan
  while ((m = re.exec(pattern)) !== null) {
    consumed = re.lastIndex;
    if (m[3] !== undefined) tokens.push({ kind: 'literal', text: m[3] });
    else if (m[2] !== undefined) tokens.push({ kind: 'SEQ', width: Number(m[2]) });
    else tokens.push({ kind: m[1] as 'YYYY' | 'YY' | 'MM' | 'DD' });
  }
  if (consumed !== pattern.length) {
    throw new PacsError(
      'INVALID_ARGUMENT',
      'accession number pattern has characters outside A-Z, 0-9, - and tokens',
    );
  }
  return tokens;
}

export function createAccessionNumberFormat(pattern: string): AccessionNumberFormat {
  const tokens = tokenize(pattern);
  const sequences = tokens.filter((t) => t.kind === 'SEQ');
  if (sequences.length !== 1)
    throw new PacsError('INVALID_ARGUMENT', 'accession number pattern needs exactly one {SEQ:n}');
  const width = (sequences[0] as { width: number }).width;
  if (width < 1) throw new PacsError('INVALID_ARGUMENT', 'sequence width must be at least 1');
  const length = tokens.reduce(
    (sum, t) => sum + (t.kind === 'literal' ? t.text.length : t.kind === 'SEQ' ? t.width : widths[t.kind]),
    0,
  );
  if (length > 16) throw new PacsError('INVALID_ARGUMENT', 'accession numbers are SH: at most 16 characters');
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const datePart = (t: Token, date: Date): string => {
    switch (t.kind) {
      case 'YYYY':
        return pad(date.getUTCFullYear(), 4);
      case 'YY':
        return pad(date.getUTCFullYear() % 100, 2);
      case 'MM':
        return pad(date.getUTCMonth() + 1, 2);
      case 'DD':
        return pad(date.getUTCDate(), 2);
      case 'literal':
        return t.text;
      case 'SEQ':
        return '';
      default:
        return t satisfies never;
    }
  };
  const parser = new RegExp(
    `^${tokens
      .map((t) =>
        t.kind === 'literal'
          ? t.text.replace(/-/g, '\\-')
          : t.kind === 'SEQ'
            ? `(?<SEQ>\\d{${t.width}})`
            : `(?<${t.kind}>\\d{${widths[t.kind]}})`,
      )
      .join('')}$`,
  );
  const maxSequence = 10 ** width - 1;
  return {
    pattern,
    maxSequence,
    counterKey: (date) => tokens.map((t) => (t.kind === 'SEQ' ? '#' : datePart(t, date))).join(''),
    format(date, sequence) {
      if (!Number.isInteger(sequence) || sequence < 1 || sequence > maxSequence) {
        throw new PacsError('OUT_OF_RESOURCES', 'accession number sequence exhausted for this period');
      }
      return tokens.map((t) => (t.kind === 'SEQ' ? pad(sequence, t.width) : datePart(t, date))).join('');
    },
    parse(value) {
      const m = parser.exec(value);
      if (!m?.groups) return undefined;
      const g = m.groups;
      const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
      const year = num(g.YYYY);
      const month = num(g.MM);
      const day = num(g.DD);
      if (month !== undefined && (month < 1 || month > 12)) return undefined;
      if (day !== undefined && (day < 1 || day > 31)) return undefined;
      if (year !== undefined && month !== undefined && day !== undefined) {
        if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined; // 31 February
      }
      return {
        ...(year !== undefined ? { year } : g.YY !== undefined ? { year: 2000 + Number(g.YY) } : {}),
        ...(month !== undefined ? { month } : {}),
        ...(day !== undefined ? { day } : {}),
        sequence: Number(g.SEQ),
      };
    },
  };
}
