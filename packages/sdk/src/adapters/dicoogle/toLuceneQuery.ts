import { PacsError } from '@pacskit/dicom';
import type { QueryKeys } from '../../pacsAdapter.js';
import { keywordDictionary } from '../../views/keywordDictionary.js';

const tagToKeyword: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(keywordDictionary).map(([keyword, [tag]]) => [tag, keyword]),
);

/** Dicoogle indexes instances; study-level computed keys map onto the instance field. */
const fieldAliases: Readonly<Record<string, string>> = { ModalitiesInStudy: 'Modality' };

/**
 * Translates QIDO-style keys (PS3.18 8.3.4) into a Lucene query for Dicoogle's `/search`
 * with `keyword=true` (`Field:value AND …`):
 * - `*`/`?` wildcards pass through (PS3.4 C.2.2.2.4 and Lucene agree);
 * - DA/TM/DT ranges `a-b`, `a-`, `-b` become `[a TO b]` (PS3.4 C.2.2.2.5);
 * - a list (array or comma-separated UIDs, PS3.18 8.3.4.1) becomes `(F:a OR F:b)`;
 * - every other Lucene special character is escaped.
 * No keys gives `*:*` (match all).
 */
export function toLuceneQuery(query: QueryKeys | undefined, source: string): string {
  const clauses: string[] = [];
  for (const [key, raw] of Object.entries(query ?? {})) {
    const keyword = /^[0-9A-Fa-f]{8}$/.test(key) ? tagToKeyword[key.toUpperCase()] : key;
    const entry = keyword === undefined ? undefined : keywordDictionary[keyword];
    if (keyword === undefined || entry === undefined) {
      throw new PacsError('INVALID_QUERY', 'a query key Dicoogle cannot search', {
        source,
        details: { key },
      });
    }
    const field = fieldAliases[keyword] ?? keyword;
    const vr = entry[1];
    const values = Array.isArray(raw)
      ? raw.map(String)
      : vr === 'UI'
        ? String(raw).split(',')
        : [String(raw)];
    const terms = values
      .filter((value) => value !== '' && value !== '*')
      .map((value) => `${field}:${term(value, vr)}`);
    if (terms.length === 1) clauses.push(terms[0]!);
    else if (terms.length > 1) clauses.push(`(${terms.join(' OR ')})`);
  }
  return clauses.length === 0 ? '*:*' : clauses.join(' AND ');
}

function term(value: string, vr: string): string {
  if ((vr === 'DA' || vr === 'TM' || vr === 'DT') && value.includes('-')) {
    const [from, to] = value.split('-', 2) as [string, string];
    const low = from === '' ? (vr === 'TM' ? '000000' : '00000000') : from;
    const high = to === '' ? (vr === 'TM' ? '235959' : '99991231') : to;
    return `[${escapeLucene(low)} TO ${escapeLucene(high)}]`;
  }
  return escapeLucene(value);
}

/** Escapes Lucene's special characters except the wildcards `*` and `?`. */
function escapeLucene(value: string): string {
  return value.replace(/[+\-&|!(){}[\]^"~:\\/\s]/g, (char) => `\\${char}`);
}
