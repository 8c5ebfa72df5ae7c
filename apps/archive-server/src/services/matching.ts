import type { ValueRepresentation } from '@pacskit/dicom';
import { isValidUid, PacsError } from '@pacskit/dicom';

/**
 * One matching key of a query (PS3.4 C.2.2.2) in the form the Index adapters push down to SQL.
 * In-memory matching (QIDO-RS, C-FIND, the worklist) is @pacskit/dicom's `matchDataset`.
 */
export type AttributeCondition =
  | { tag: string; vr: ValueRepresentation; kind: 'universal' }
  | { tag: string; vr: ValueRepresentation; kind: 'single'; value: string; caseInsensitive: boolean }
  | { tag: string; vr: ValueRepresentation; kind: 'wildcard'; pattern: string; caseInsensitive: boolean }
  | { tag: string; vr: ValueRepresentation; kind: 'list'; values: string[] }
  | { tag: string; vr: ValueRepresentation; kind: 'range'; lower?: string; upper?: string }
  | { tag: string; vr: ValueRepresentation; kind: 'fuzzy'; value: string };

const dateLike = new Set(['DA', 'TM', 'DT']);
const numeric = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'IS', 'DS', 'SV', 'UV']);

/** Parses a QIDO/C-FIND matching value (PS3.18 8.3.4, PS3.4 C.2.2.2). */
export function parseCondition(
  tag: string,
  vr: ValueRepresentation,
  raw: string,
  options: { fuzzy?: boolean } = {},
): AttributeCondition {
  const value = raw.trim();
  if (value === '' || value === '*') return { tag, vr, kind: 'universal' };
  if (vr === 'SQ' || vr === 'OB' || vr === 'OW' || vr === 'UN') {
    throw new PacsError('INVALID_QUERY', 'this attribute cannot be a matching key', { details: { tag, vr } });
  }
  if (dateLike.has(vr)) {
    if (value.includes('-')) {
      const [lower, upper, extra] = value.split('-');
      if (extra !== undefined) throw invalid(tag, 'a range has one hyphen');
      checkDateLike(tag, vr, lower ?? '');
      checkDateLike(tag, vr, upper ?? '');
      return { tag, vr, kind: 'range', ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) };
    }
    checkDateLike(tag, vr, value);
    return { tag, vr, kind: 'single', value, caseInsensitive: false };
  }
  // List matching (PS3.18 8.3.4.1: comma-separated values; backslash as in C-FIND).
  const parts = value.split(/[,\\]/).map((part) => part.trim());
  if (parts.length > 1) {
    if (vr === 'UI') for (const uid of parts) checkUid(tag, uid);
    return { tag, vr, kind: 'list', values: parts.filter((p) => p !== '') };
  }
  if (vr === 'UI') {
    checkUid(tag, value);
    return { tag, vr, kind: 'single', value, caseInsensitive: false };
  }
  if (numeric.has(vr)) {
    if (!Number.isFinite(Number(value))) throw invalid(tag, 'a numeric attribute needs a number');
    return { tag, vr, kind: 'single', value: String(Number(value)), caseInsensitive: false };
  }
  // PS3.4 C.2.2.2.1: PN matching is case-insensitive here (as Orthanc's default CaseSensitivePN=false).
  const caseInsensitive = vr === 'PN';
  if (vr === 'PN' && options.fuzzy) return { tag, vr, kind: 'fuzzy', value: value.replace(/[*?]/g, '') };
  if (/[*?]/.test(value)) return { tag, vr, kind: 'wildcard', pattern: value, caseInsensitive };
  return { tag, vr, kind: 'single', value, caseInsensitive };
}

function invalid(tag: string, reason: string): PacsError {
  return new PacsError('INVALID_QUERY', `invalid matching value: ${reason}`, { details: { tag } });
}

function checkUid(tag: string, uid: string): void {
  if (!isValidUid(uid))
    throw new PacsError('INVALID_UID', 'invalid UID in a matching key', { details: { tag } });
}

function checkDateLike(tag: string, vr: ValueRepresentation, value: string): void {
  if (value === '') return;
  const ok =
    vr === 'DA'
      ? /^\d{8}$/.test(value)
      : vr === 'TM'
        ? /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/.test(value)
        : /^\d{4}(\d{2}(\d{2}(\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?)?)?)?([+-]\d{4})?$/.test(value);
  if (!ok) throw invalid(tag, `not a valid ${vr}`);
}

/** Upper bound of a partial DA/TM/DT value, so "1200" includes 12:00:59 (PS3.4 C.2.2.2.5). */
export function rangeUpperBound(upper: string): string {
  return `${upper}\uffff`;
}
