import type { ValueRepresentation } from '@pacskit/dicom';
import { PacsError, parseMatchingKey } from '@pacskit/dicom';

/**
 * One matching key of a query (PS3.4 C.2.2.2) in the form the Index adapters push down to SQL.
 * The key is parsed and validated by @pacskit/dicom's `parseMatchingKey`; in-memory matching
 * (QIDO-RS, C-FIND, the worklist) is @pacskit/dicom's `matchDataset`.
 */
export type AttributeCondition =
  | { tag: string; vr: ValueRepresentation; kind: 'universal' }
  | { tag: string; vr: ValueRepresentation; kind: 'single'; value: string; caseInsensitive: boolean }
  | { tag: string; vr: ValueRepresentation; kind: 'wildcard'; pattern: string; caseInsensitive: boolean }
  | { tag: string; vr: ValueRepresentation; kind: 'list'; values: string[] }
  | { tag: string; vr: ValueRepresentation; kind: 'range'; lower?: string; upper?: string }
  | { tag: string; vr: ValueRepresentation; kind: 'fuzzy'; value: string };

const notMatchable = new Set(['SQ', 'OB', 'OW', 'UN']);

function invalid(tag: string, reason: string): PacsError {
  return new PacsError('INVALID_QUERY', `invalid matching value: ${reason}`, { details: { tag } });
}

/**
 * Parses a QIDO/C-FIND matching value (PS3.18 8.3.4, PS3.4 C.2.2.2) into a condition the index can
 * run. QIDO-RS separates list values with commas, C-FIND with backslashes (PS3.18 8.3.4.1).
 */
export function parseCondition(
  tag: string,
  vr: ValueRepresentation,
  raw: string,
  options: { fuzzy?: boolean } = {},
): AttributeCondition {
  const value = raw.trim();
  if (value === '' || value === '*') return { tag, vr, kind: 'universal' };
  if (notMatchable.has(vr)) {
    throw new PacsError('INVALID_QUERY', 'this attribute cannot be a matching key', { details: { tag, vr } });
  }
  // The index compares "" as a value; @pacskit/dicom's empty-value matching is not pushed down.
  const key = value === '""' ? undefined : parseMatchingKey(vr, value.replace(/,/g, '\\'));
  if (key === undefined) return { tag, vr, kind: 'single', value, caseInsensitive: false };
  if (vr === 'PN' && options.fuzzy) return { tag, vr, kind: 'fuzzy', value: value.replace(/[*?]/g, '') };
  switch (key.kind) {
    case 'universal':
      return { tag, vr, kind: 'universal' };
    case 'single':
      return { tag, vr, kind: 'single', value: key.value, caseInsensitive: key.caseInsensitive };
    case 'wildcard':
      return { tag, vr, kind: 'wildcard', pattern: key.pattern, caseInsensitive: key.caseInsensitive };
    case 'list':
      return { tag, vr, kind: 'list', values: key.values };
    case 'range': {
      // The index holds DA/TM/DT as written, so it gets the bounds as written rather than
      // parseMatchingKey's normalised ones; a TM/DT without a hyphen stays a single value.
      if (!value.includes('-')) return { tag, vr, kind: 'single', value, caseInsensitive: false };
      const [lower, upper, extra] = value.split('-');
      if (extra !== undefined) throw invalid(tag, 'a range has one hyphen');
      return { tag, vr, kind: 'range', ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) };
    }
    case 'empty':
    case 'sequence':
      throw invalid(tag, `${key.kind} matching is not supported here`);
    default:
      return key satisfies never;
  }
}

/** Upper bound of a partial DA/TM/DT value, so "1200" includes 12:00:59 (PS3.4 C.2.2.2.5). */
export function rangeUpperBound(upper: string): string {
  return `${upper}\uffff`;
}
