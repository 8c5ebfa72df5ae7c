import type { DicomJsonDataset } from '@pacskit/dicom';
import { isValidUid, keywordToTag, matchDataset, PacsError, vrOf } from '@pacskit/dicom';
import type { Index, IndexSearchRow, QueryLevel } from '../ports/Index.js';
import type { Principal } from '../security/Principal.js';
import { defaultInstanceReturnTags, defaultSeriesReturnTags, defaultStudyReturnTags } from './levels.js';
import { type AttributeCondition, parseCondition } from './matching.js';

/** A search as both QIDO-RS and C-FIND express it: matching keys plus what to return. */
export interface SearchQuery {
  /** Matching keys by keyword or tag (PS3.18 8.3.4); '' means universal matching (return it). */
  match?: Record<string, string>;
  /** Extra attributes to return, by keyword or tag, or 'all' (PS3.18 8.3.4.3). */
  includeField?: readonly string[] | 'all';
  fuzzyMatching?: boolean;
  limit?: number;
  offset?: number;
}

export interface SearchOptions {
  principal?: Principal;
  /** Restrict to one study / series (nested QIDO resources, C-FIND lower levels). */
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
  /** Base of RetrieveURL (0008,1190), e.g. "http://host/dicom-web"; omitted → not returned. */
  retrieveUrlBase?: string;
  signal?: AbortSignal;
}

/** QIDO-RS answers at most this many results per page unless asked for fewer. */
export const maxSearchLimit = 10_000;

/**
 * QIDO-RS and C-FIND in one place: parses matching keys once, pushes what the index can match to
 * it (exact, wildcard, list, range on indexed columns), applies the rest in memory, then pages and
 * projects the return attributes. Ordering is the index's stable order (insertion order per level).
 */
export class QueryService {
  constructor(private readonly index: Index) {}

  searchForStudies(query: SearchQuery, options: SearchOptions = {}): Promise<DicomJsonDataset[]> {
    return this.search('study', query, options);
  }

  searchForSeries(query: SearchQuery, options: SearchOptions = {}): Promise<DicomJsonDataset[]> {
    return this.search('series', query, options);
  }

  searchForInstances(query: SearchQuery, options: SearchOptions = {}): Promise<DicomJsonDataset[]> {
    return this.search('instance', query, options);
  }

  private async search(
    level: QueryLevel,
    query: SearchQuery,
    options: SearchOptions,
  ): Promise<DicomJsonDataset[]> {
    for (const uid of [options.studyInstanceUID, options.seriesInstanceUID]) {
      if (uid !== undefined && !isValidUid(uid)) throw new PacsError('INVALID_UID', 'invalid UID in the URL');
    }
    const limit = query.limit ?? maxSearchLimit;
    const offset = query.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(offset) || offset < 0) {
      throw new PacsError('INVALID_QUERY', 'limit and offset must be non-negative integers');
    }
    const conditions: AttributeCondition[] = [];
    const rawValues = new Map<string, string>();
    for (const [key, raw] of Object.entries(query.match ?? {})) {
      const tag = tagOf(key);
      if (!tag)
        throw new PacsError('INVALID_QUERY', 'unknown attribute in a matching key', { details: { key } });
      conditions.push(parseCondition(tag, vrOf(tag), raw, { fuzzy: query.fuzzyMatching === true }));
      rawValues.set(tag, raw);
    }
    const indexed = this.index.indexedAttributes[level];
    const inIndex = conditions.filter((c) => indexed.has(c.tag) && c.kind !== 'fuzzy');
    const inMemory = conditions.filter((c) => !inIndex.includes(c));
    const rows = await this.index.search({
      level,
      conditions: inIndex,
      ...(options.studyInstanceUID !== undefined ? { studyInstanceUID: options.studyInstanceUID } : {}),
      ...(options.seriesInstanceUID !== undefined ? { seriesInstanceUID: options.seriesInstanceUID } : {}),
      ...(inMemory.length === 0 ? { limit: Math.min(limit, maxSearchLimit), offset } : {}),
    });
    options.signal?.throwIfAborted();
    let matched = rows;
    if (inMemory.length > 0) {
      // What the index cannot match is matched by @pacskit/dicom's matchDataset, the one
      // implementation shared with C-FIND and the worklist (PS3.4 C.2.2.2).
      const memoryQuery: DicomJsonDataset = {};
      for (const condition of inMemory) {
        const raw = rawValues.get(condition.tag) ?? '';
        memoryQuery[condition.tag] =
          condition.vr === 'PN'
            ? { vr: 'PN', Value: [{ Alphabetic: raw }] }
            : { vr: condition.vr, Value: [raw] };
      }
      const fuzzyMatching = query.fuzzyMatching === true;
      matched = rows
        .filter((row) =>
          matchDataset(memoryQuery, { ...row.study, ...row.series, ...row.instance }, { fuzzyMatching }),
        )
        .slice(offset, offset + Math.min(limit, maxSearchLimit));
    }
    const returnTags = this.returnTags(level, query, conditions, options);
    // Sorted once per search, not once per row (DICOM JSON lists attributes in tag order).
    const sortedTags = returnTags === 'all' ? 'all' : [...returnTags].sort();
    return matched.map((row) => this.project(level, row, sortedTags, options));
  }

  private returnTags(
    level: QueryLevel,
    query: SearchQuery,
    conditions: AttributeCondition[],
    options: SearchOptions,
  ): Set<string> | 'all' {
    if (query.includeField === 'all' || query.includeField?.includes('all')) return 'all';
    const tags = new Set<string>(
      level === 'study'
        ? defaultStudyReturnTags
        : level === 'series'
          ? defaultSeriesReturnTags
          : defaultInstanceReturnTags,
    );
    // Series/instances searched across studies also return the study's attributes (PS3.18 10.6.3.3).
    if (level !== 'study' && options.studyInstanceUID === undefined)
      for (const t of defaultStudyReturnTags) tags.add(t);
    if (level === 'instance' && options.seriesInstanceUID === undefined)
      for (const t of defaultSeriesReturnTags) tags.add(t);
    for (const field of query.includeField ?? []) {
      const tag = tagOf(field);
      if (!tag)
        throw new PacsError('INVALID_QUERY', 'unknown attribute in includefield', { details: { field } });
      tags.add(tag);
    }
    for (const condition of conditions) tags.add(condition.tag);
    return tags;
  }

  private project(
    level: QueryLevel,
    row: IndexSearchRow,
    returnTags: readonly string[] | 'all',
    options: SearchOptions,
  ): DicomJsonDataset {
    const computed: DicomJsonDataset = {};
    if (options.retrieveUrlBase !== undefined) {
      let url = `${options.retrieveUrlBase}/studies/${uidOf(row.study, '0020000D')}`;
      if (level !== 'study') url += `/series/${uidOf(row.series ?? {}, '0020000E')}`;
      if (level === 'instance') url += `/instances/${uidOf(row.instance ?? {}, '00080018')}`;
      computed['00081190'] = { vr: 'UR', Value: [url] };
    }
    computed['00080056'] = { vr: 'CS', Value: ['ONLINE'] }; // InstanceAvailability
    // The most specific level wins, as when the levels are merged study → series → instance.
    const levels = [computed, row.instance, row.series, row.study].filter(
      (dataset): dataset is DicomJsonDataset => dataset !== undefined,
    );
    const tags = returnTags === 'all' ? [...new Set(levels.flatMap(Object.keys))].sort() : returnTags;
    const result: DicomJsonDataset = {};
    for (const tag of tags) {
      let attribute: DicomJsonDataset[string] | undefined;
      for (const dataset of levels) {
        attribute = dataset[tag];
        if (attribute) break;
      }
      if (attribute) result[tag] = attribute;
      else if (returnTags !== 'all') result[tag] = { vr: vrOf(tag) };
    }
    return result;
  }
}

function uidOf(dataset: DicomJsonDataset, tag: string): string {
  const v = dataset[tag]?.Value?.[0];
  return typeof v === 'string' ? v : '';
}

/** A QIDO key or includefield is a keyword or a tag (PS3.18 8.3.4.1); undefined when it is neither. */
function tagOf(keywordOrTag: string): string | undefined {
  const compact = keywordOrTag.replace(/[(),\s]/g, '').toUpperCase();
  return /^[0-9A-F]{8}$/.test(compact) ? compact : keywordToTag(keywordOrTag);
}
