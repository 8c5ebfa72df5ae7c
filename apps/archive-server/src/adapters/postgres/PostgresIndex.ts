import { PacsError, isPacsError } from '@pacskit/dicom';
import type pg from 'pg';
import {
  type IndexedColumn as Column,
  columnsFor,
  firstValue,
  modalitiesInStudy,
} from '../indexedColumns.js';
import {
  type InstanceRow,
  type StudyRow,
  likePattern,
  seriesDataset,
  studyDataset,
  toRecord,
} from '../indexRows.js';
import type {
  Index,
  IndexSearch,
  IndexSearchRow,
  InstanceRecord,
  InstanceScope,
  PutInstanceResult,
  QueryLevel,
  StoredMetadata,
} from '../../ports/Index.js';
import { type AttributeCondition, rangeUpperBound } from '../../services/matching.js';
import { migrate } from './migrate.js';
import { inTransaction, openPool, pgCode, unavailable, uniqueViolation } from './pgPool.js';

const instanceSelect = `SELECT i.record, i.metadata, st.attrs AS study_attrs, se.attrs AS series_attrs,
  i.attrs AS instance_attrs
  FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = se.study_pk`;
/** SQLite sorts NULLs first; keep the same order so both adapters list alike. */
const instanceOrder = 'ORDER BY se.series_number NULLS FIRST, se.pk, i.instance_number NULLS FIRST, i.pk';

export interface PostgresIndexOptions {
  /** `postgres://user@host:port/db`. */
  connectionString: string;
  /** Pool size per process (default 10). */
  maxConnections?: number;
}

/**
 * The scale-out index: the SqliteIndex schema and semantics on PostgreSQL, shared by several
 * archive processes. Writes run in READ COMMITTED transactions; the study and series rows are
 * locked by their upsert (`ON CONFLICT … DO UPDATE`), so concurrent stores into one study
 * serialize on it and its counts stay exact; a concurrent insert of the same SOP Instance UID
 * loses on the unique index and is retried against the winner's row (duplicate or replace).
 */
export class PostgresIndex implements Index {
  readonly indexedAttributes: Readonly<Record<QueryLevel, ReadonlySet<string>>> = {
    study: new Set([...Object.keys(columnsFor('study')), modalitiesInStudy]),
    series: new Set([...Object.keys(columnsFor('series')), modalitiesInStudy]),
    instance: new Set([...Object.keys(columnsFor('instance')), modalitiesInStudy]),
  };

  private constructor(private readonly pool: pg.Pool) {}

  /** Connects and runs the pending migrations (safe when several processes start at once). */
  static async open(options: PostgresIndexOptions): Promise<PostgresIndex> {
    const pool = openPool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      // Names the pool and its process in pg_stat_activity (see PostgresDatabase).
      application_name: `pacskit-index-${process.pid}`,
    });
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw unavailable(error);
    }
    return new PostgresIndex(pool);
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw unavailable(error);
    }
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  async findInstance(sopInstanceUID: string): Promise<InstanceRecord | undefined> {
    const [row] = await this.query<InstanceRow>(`${instanceSelect} WHERE i.sop_uid = $1`, [sopInstanceUID]);
    return row ? toRecord(row) : undefined;
  }

  async putInstance(record: InstanceRecord, options: { replace: boolean }): Promise<PutInstanceResult> {
    const [result] = await this.putInstances([record], options);
    if (result && 'error' in result) throw result.error;
    return result as PutInstanceResult;
  }

  async putInstances(
    records: InstanceRecord[],
    options: { replace: boolean },
  ): Promise<Array<PutInstanceResult | { error: PacsError }>> {
    if (records.length > 1) {
      const bulk = await this.transaction((client) => putBulk(client, records));
      if (bulk) return bulk;
    }
    // Lock studies in one global order (by UID) so two batches never wait on each other in a cycle.
    const order = records.map((_, i) => i);
    order.sort((a, b) => compare(records[a]?.studyInstanceUID ?? '', records[b]?.studyInstanceUID ?? ''));
    return this.transaction(async (client) => {
      const results: Array<PutInstanceResult | { error: PacsError }> = new Array(records.length);
      const touched = new Map<string, string>();
      for (const i of order) {
        const record = records[i] as InstanceRecord;
        results[i] = await this.putOne(client, record, options, touched);
      }
      for (const [seriesPk, studyPk] of touched) await refreshCounts(client, studyPk, seriesPk);
      return results;
    });
  }

  /** One record in its own savepoint: a duplicate or mismatch refuses that record only. */
  private async putOne(
    client: pg.PoolClient,
    record: InstanceRecord,
    options: { replace: boolean },
    touched: Map<string, string>,
  ): Promise<PutInstanceResult | { error: PacsError }> {
    for (let attempt = 1; ; attempt++) {
      await client.query('SAVEPOINT put_one');
      try {
        const result = await putRecord(client, record, options, touched);
        await client.query('RELEASE SAVEPOINT put_one');
        return result;
      } catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT put_one');
        if (isPacsError(error)) return { error };
        // Another process inserted the same SOP Instance UID first: look again, now seeing its row.
        if (pgCode(error) === uniqueViolation && attempt < 3) continue;
        throw error;
      }
    }
  }

  async listMetadata(scope: InstanceScope): Promise<StoredMetadata[]> {
    const { where, params } = scopeWhere(scope);
    return this.query<StoredMetadata>(
      `SELECT st.study_uid AS "studyInstanceUID", se.series_uid AS "seriesInstanceUID",
         i.sop_uid AS "sopInstanceUID", i.metadata AS metadata
       FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = se.study_pk
       WHERE ${where} ${instanceOrder}`,
      params,
    );
  }

  async listInstances(scope: InstanceScope): Promise<InstanceRecord[]> {
    const { where, params } = scopeWhere(scope);
    const rows = await this.query<InstanceRow>(`${instanceSelect} WHERE ${where} ${instanceOrder}`, params);
    return rows.map(toRecord);
  }

  async search(search: IndexSearch): Promise<IndexSearchRow[]> {
    const columns = columnsFor(search.level);
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (search.studyInstanceUID !== undefined) {
      params.push(search.studyInstanceUID);
      clauses.push(`st.study_uid = $${params.length}`);
    }
    if (search.seriesInstanceUID !== undefined) {
      params.push(search.seriesInstanceUID);
      clauses.push(`se.series_uid = $${params.length}`);
    }
    for (const condition of search.conditions) {
      if (condition.tag === modalitiesInStudy) {
        const inner = conditionSql(condition, { table: 'x', column: 'modality' }, params);
        if (inner) clauses.push(`EXISTS (SELECT 1 FROM series x WHERE x.study_pk = st.pk AND ${inner})`);
        continue;
      }
      const column = columns[condition.tag];
      if (!column) throw new PacsError('INTERNAL', 'condition on an attribute the index does not hold');
      const sql = conditionSql(condition, column, params);
      if (sql) clauses.push(sql);
    }
    const where = clauses.length > 0 ? clauses.join(' AND ') : 'TRUE';
    const paging = ` LIMIT ${search.limit === undefined ? 'ALL' : Math.max(0, Math.trunc(search.limit))} OFFSET ${Math.max(0, Math.trunc(search.offset ?? 0))}`;
    const studySelect =
      'st.attrs AS study_attrs, st.num_series, st.num_instances, st.modalities, st.sop_classes';
    if (search.level === 'study') {
      const rows = await this.query<StudyRow>(
        `SELECT ${studySelect} FROM studies st WHERE ${where} ORDER BY st.pk${paging}`,
        params,
      );
      return rows.map((row) => ({ study: studyDataset(row) }));
    }
    const seriesOrder = 'st.pk, se.series_number NULLS FIRST, se.pk';
    if (search.level === 'series') {
      const rows = await this.query<StudyRow & { series_attrs: string; series_instances: number }>(
        `SELECT ${studySelect}, se.attrs AS series_attrs, se.num_instances AS series_instances
         FROM series se JOIN studies st ON st.pk = se.study_pk WHERE ${where} ORDER BY ${seriesOrder}${paging}`,
        params,
      );
      return rows.map((row) => ({
        study: studyDataset(row),
        series: seriesDataset(row.series_attrs, row.series_instances),
      }));
    }
    const rows = await this.query<
      StudyRow & { series_attrs: string; series_instances: number; instance_attrs: string }
    >(
      `SELECT ${studySelect}, se.attrs AS series_attrs, se.num_instances AS series_instances, i.attrs AS instance_attrs
       FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = se.study_pk
       WHERE ${where} ORDER BY ${seriesOrder}, i.instance_number NULLS FIRST, i.pk${paging}`,
      params,
    );
    return rows.map((row) => ({
      study: studyDataset(row),
      series: seriesDataset(row.series_attrs, row.series_instances),
      instance: JSON.parse(row.instance_attrs),
    }));
  }

  async deleteInstances(scope: InstanceScope): Promise<InstanceRecord[]> {
    return this.transaction((client) => deleteScope(client, scope));
  }

  async blobKeys(): Promise<Set<string>> {
    const rows = await this.query<{ blob_key: string }>('SELECT blob_key FROM instances');
    return new Set(rows.map((r) => r.blob_key));
  }

  async countInstances(): Promise<number> {
    const [row] = await this.query<{ n: string }>('SELECT count(*) AS n FROM instances');
    return Number(row?.n ?? 0);
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

async function putRecord(
  client: pg.PoolClient,
  record: InstanceRecord,
  options: { replace: boolean },
  touched: Map<string, string>,
): Promise<PutInstanceResult> {
  let replaced: InstanceRecord | undefined;
  const existing = (
    await client.query<InstanceRow>(`${instanceSelect} WHERE i.sop_uid = $1 FOR UPDATE OF i`, [
      record.sopInstanceUID,
    ])
  ).rows[0];
  if (existing) {
    if (!options.replace) {
      throw new PacsError('DUPLICATE_INSTANCE', 'an instance with this SOP Instance UID is already stored', {
        details: { sopInstanceUID: record.sopInstanceUID },
      });
    }
    replaced = toRecord(existing);
    // As SqliteIndex: the old row goes with its counts, and its series/study if now empty.
    await deleteScope(client, {
      studyInstanceUID: replaced.studyInstanceUID,
      seriesInstanceUID: replaced.seriesInstanceUID,
      sopInstanceUID: replaced.sopInstanceUID,
    });
  }
  const s = record.study;
  // DO UPDATE (not DO NOTHING) so the row comes back locked: a concurrent delete of the study
  // waits for this transaction instead of removing the study under the new instance. xmax = 0
  // only on a row this statement inserted: the study is new.
  const studyRow = (
    await client.query<{ pk: string; inserted: boolean }>(
      `INSERT INTO studies (study_uid, patient_id, patient_name, patient_birth_date, patient_sex, study_date,
         study_time, accession_number, study_id, referring_physician_name, study_description, attrs)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (study_uid) DO UPDATE SET study_uid = EXCLUDED.study_uid RETURNING pk, (xmax = 0) AS inserted`,
      [
        record.studyInstanceUID,
        firstValue(s, '00100020'),
        firstValue(s, '00100010'),
        firstValue(s, '00100030'),
        firstValue(s, '00100040'),
        firstValue(s, '00080020'),
        firstValue(s, '00080030'),
        firstValue(s, '00080050'),
        firstValue(s, '00200010'),
        firstValue(s, '00080090'),
        firstValue(s, '00081030'),
        JSON.stringify(s),
      ],
    )
  ).rows[0] as { pk: string; inserted: boolean };
  const studyPk = studyRow.pk;
  const se = record.series;
  const seriesRow = (
    await client.query<{ pk: string; study_pk: string }>(
      `INSERT INTO series (series_uid, study_pk, modality, series_number, series_description, series_date,
         series_time, attrs) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (series_uid) DO UPDATE SET series_uid = EXCLUDED.series_uid RETURNING pk, study_pk`,
      [
        record.seriesInstanceUID,
        studyPk,
        firstValue(se, '00080060'),
        numberOrNull(firstValue(se, '00200011')),
        firstValue(se, '0008103E'),
        firstValue(se, '00080021'),
        firstValue(se, '00080031'),
        JSON.stringify(se),
      ],
    )
  ).rows[0] as { pk: string; study_pk: string };
  if (seriesRow.study_pk !== studyPk) {
    throw new PacsError('DATASET_MISMATCH', 'the Series Instance UID already belongs to another study', {
      details: { seriesInstanceUID: record.seriesInstanceUID },
    });
  }
  const { metadata, study: _study, series: _series, instance, ...rest } = record;
  await client.query(
    `INSERT INTO instances (sop_uid, series_pk, sop_class_uid, instance_number, blob_key, record, metadata, attrs)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      record.sopInstanceUID,
      seriesRow.pk,
      record.sopClassUID,
      numberOrNull(firstValue(instance, '00200013')),
      record.blobKey,
      JSON.stringify(rest),
      metadata,
      JSON.stringify(instance),
    ],
  );
  touched.set(seriesRow.pk, studyPk);
  // An overwrite that removed and re-created the study's only instance is not a new study.
  return { replaced, newStudy: studyRow.inserted && replaced === undefined };
}

/** Thrown inside putBulk's transaction to roll it back and take the per-record path. */
class FallBack extends Error {}

/**
 * The fast path of putInstances for batches of new instances (the bench, a migration, a large STOW):
 * a handful of set-based statements for the whole batch instead of a few round trips per record.
 * Anything per-record — an existing SOP Instance UID (duplicate or replace), a series in another
 * study, the same UID twice, a concurrent insert — rolls back and returns undefined, and the caller
 * takes the per-record path, which decides each record exactly as SqliteIndex does.
 */
async function putBulk(
  client: pg.PoolClient,
  records: InstanceRecord[],
): Promise<Array<PutInstanceResult | { error: PacsError }> | undefined> {
  const sopUIDs = records.map((r) => r.sopInstanceUID);
  if (new Set(sopUIDs).size !== sopUIDs.length) return undefined;
  await client.query('SAVEPOINT bulk');
  try {
    const existing = await client.query('SELECT 1 FROM instances WHERE sop_uid = ANY($1::text[]) LIMIT 1', [
      sopUIDs,
    ]);
    if (existing.rowCount) throw new FallBack();
    // First record of each study / series wins its attributes, as with the per-record inserts.
    const studies = new Map<string, InstanceRecord>();
    const series = new Map<string, InstanceRecord>();
    for (const record of records) {
      if (!studies.has(record.studyInstanceUID)) studies.set(record.studyInstanceUID, record);
      if (!series.has(record.seriesInstanceUID)) series.set(record.seriesInstanceUID, record);
    }
    const studyRecords = [...studies.values()].sort((a, b) =>
      compare(a.studyInstanceUID, b.studyInstanceUID),
    );
    const studyTags = [
      '00100020',
      '00100010',
      '00100030',
      '00100040',
      '00080020',
      '00080030',
      '00080050',
      '00200010',
      '00080090',
      '00081030',
    ];
    const studyRows = await client.query<{ pk: string; study_uid: string; inserted: boolean }>(
      `INSERT INTO studies (study_uid, patient_id, patient_name, patient_birth_date, patient_sex, study_date,
         study_time, accession_number, study_id, referring_physician_name, study_description, attrs)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::text[], $11::text[], $12::text[]) AS t(u) ORDER BY u
       ON CONFLICT (study_uid) DO UPDATE SET study_uid = EXCLUDED.study_uid RETURNING pk, study_uid, (xmax = 0) AS inserted`,
      [
        studyRecords.map((r) => r.studyInstanceUID),
        ...studyTags.map((tag) => studyRecords.map((r) => textOrNull(firstValue(r.study, tag)))),
        studyRecords.map((r) => JSON.stringify(r.study)),
      ],
    );
    const studyPks = new Map(studyRows.rows.map((row) => [row.study_uid, row.pk]));
    const seriesRecords = [...series.values()];
    const seriesRows = await client.query<{ pk: string; study_pk: string; series_uid: string }>(
      `INSERT INTO series (series_uid, study_pk, modality, series_number, series_description, series_date,
         series_time, attrs)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::float8[], $5::text[], $6::text[],
         $7::text[], $8::text[]) AS t(u) ORDER BY u
       ON CONFLICT (series_uid) DO UPDATE SET series_uid = EXCLUDED.series_uid RETURNING pk, study_pk, series_uid`,
      [
        seriesRecords.map((r) => r.seriesInstanceUID),
        seriesRecords.map((r) => studyPks.get(r.studyInstanceUID)),
        seriesRecords.map((r) => textOrNull(firstValue(r.series, '00080060'))),
        seriesRecords.map((r) => numberOrNull(firstValue(r.series, '00200011'))),
        seriesRecords.map((r) => textOrNull(firstValue(r.series, '0008103E'))),
        seriesRecords.map((r) => textOrNull(firstValue(r.series, '00080021'))),
        seriesRecords.map((r) => textOrNull(firstValue(r.series, '00080031'))),
        seriesRecords.map((r) => JSON.stringify(r.series)),
      ],
    );
    const seriesPks = new Map<string, string>();
    for (const row of seriesRows.rows) {
      const record = series.get(row.series_uid) as InstanceRecord;
      if (row.study_pk !== studyPks.get(record.studyInstanceUID)) throw new FallBack();
      seriesPks.set(row.series_uid, row.pk);
    }
    await client.query(
      `INSERT INTO instances (sop_uid, series_pk, sop_class_uid, instance_number, blob_key, record, metadata, attrs)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::float8[], $5::text[], $6::text[], $7::text[],
         $8::text[])`,
      [
        sopUIDs,
        records.map((r) => seriesPks.get(r.seriesInstanceUID)),
        records.map((r) => r.sopClassUID),
        records.map((r) => numberOrNull(firstValue(r.instance, '00200013'))),
        records.map((r) => r.blobKey),
        records.map(({ metadata: _m, study: _st, series: _se, instance: _i, ...rest }) =>
          JSON.stringify(rest),
        ),
        records.map((r) => r.metadata),
        records.map((r) => JSON.stringify(r.instance)),
      ],
    );
    await refreshManyCounts(client, [...studyPks.values()], [...seriesPks.values()]);
    await client.query('RELEASE SAVEPOINT bulk');
    // The first record of each study this batch inserted is its first instance.
    const newStudies = new Set(studyRows.rows.filter((row) => row.inserted).map((row) => row.study_uid));
    return records.map((record) => ({
      replaced: undefined,
      newStudy: studies.get(record.studyInstanceUID) === record && newStudies.has(record.studyInstanceUID),
    }));
  } catch (error) {
    if (error instanceof FallBack || pgCode(error) === uniqueViolation) {
      await client.query('ROLLBACK TO SAVEPOINT bulk');
      return undefined;
    }
    throw error;
  }
}

/** refreshCounts for many series and studies in two statements. */
async function refreshManyCounts(
  client: pg.PoolClient,
  studyPks: string[],
  seriesPks: string[],
): Promise<void> {
  await client.query(
    `UPDATE series se SET num_instances = (SELECT count(*) FROM instances WHERE series_pk = se.pk)
     WHERE se.pk = ANY($1::bigint[])`,
    [seriesPks],
  );
  await client.query(
    `UPDATE studies st SET
       num_series = (SELECT count(*) FROM series WHERE study_pk = st.pk),
       num_instances = (SELECT coalesce(sum(num_instances), 0) FROM series WHERE study_pk = st.pk),
       modalities = (SELECT string_agg(DISTINCT modality COLLATE "C", '\\' ORDER BY modality COLLATE "C")
                     FROM series WHERE study_pk = st.pk AND modality IS NOT NULL),
       sop_classes = (SELECT string_agg(DISTINCT i.sop_class_uid COLLATE "C", '\\' ORDER BY i.sop_class_uid COLLATE "C")
                      FROM instances i JOIN series se ON se.pk = i.series_pk WHERE se.study_pk = st.pk)
     WHERE st.pk = ANY($1::bigint[])`,
    [studyPks],
  );
}

function textOrNull(value: string | number | null): string | null {
  return value === null ? null : String(value);
}

async function refreshCounts(
  client: pg.PoolClient,
  studyPk: string,
  seriesPk: string | undefined,
): Promise<void> {
  if (seriesPk !== undefined) {
    await client.query(
      'UPDATE series SET num_instances = (SELECT count(*) FROM instances WHERE series_pk = $1) WHERE pk = $1',
      [seriesPk],
    );
  }
  // COLLATE "C": byte order, as SQLite's default BINARY collation, so both list alike.
  await client.query(
    `UPDATE studies SET
       num_series = (SELECT count(*) FROM series WHERE study_pk = $1),
       num_instances = (SELECT coalesce(sum(num_instances), 0) FROM series WHERE study_pk = $1),
       modalities = (SELECT string_agg(DISTINCT modality COLLATE "C", '\\' ORDER BY modality COLLATE "C")
                     FROM series WHERE study_pk = $1 AND modality IS NOT NULL),
       sop_classes = (SELECT string_agg(DISTINCT i.sop_class_uid COLLATE "C", '\\' ORDER BY i.sop_class_uid COLLATE "C")
                      FROM instances i JOIN series se ON se.pk = i.series_pk WHERE se.study_pk = $1)
     WHERE pk = $1`,
    [studyPk],
  );
}

async function deleteRows(
  client: pg.PoolClient,
  scope: InstanceScope,
): Promise<{ records: InstanceRecord[]; touched: Map<string, string> }> {
  const { where, params } = scopeWhere(scope);
  const rows = (
    await client.query<InstanceRow & { pk: string; series_pk: string; study_pk: string }>(
      `SELECT i.pk, i.series_pk, se.study_pk, i.record, i.metadata, st.attrs AS study_attrs,
         se.attrs AS series_attrs, i.attrs AS instance_attrs
       FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = se.study_pk
       WHERE ${where} FOR UPDATE OF i`,
      params,
    )
  ).rows;
  const touched = new Map<string, string>();
  if (rows.length > 0) {
    await client.query('DELETE FROM instances WHERE pk = ANY($1::bigint[])', [rows.map((r) => r.pk)]);
  }
  for (const row of rows) touched.set(row.series_pk, row.study_pk);
  return { records: rows.map(toRecord), touched };
}

async function deleteScope(client: pg.PoolClient, scope: InstanceScope): Promise<InstanceRecord[]> {
  // Lock the study first (same order as putInstances: study, then its rows).
  await client.query('SELECT pk FROM studies WHERE study_uid = $1 FOR UPDATE', [scope.studyInstanceUID]);
  const { records, touched } = await deleteRows(client, scope);
  for (const [seriesPk, studyPk] of touched) {
    await refreshCounts(client, studyPk, seriesPk);
    await client.query('DELETE FROM series WHERE pk = $1 AND num_instances = 0', [seriesPk]);
    await refreshCounts(client, studyPk, undefined);
    await client.query('DELETE FROM studies WHERE pk = $1 AND num_series = 0', [studyPk]);
  }
  return records;
}

function scopeWhere(scope: InstanceScope): { where: string; params: string[] } {
  const clauses = ['st.study_uid = $1'];
  const params = [scope.studyInstanceUID];
  if (scope.seriesInstanceUID !== undefined) {
    params.push(scope.seriesInstanceUID);
    clauses.push(`se.series_uid = $${params.length}`);
  }
  if (scope.sopInstanceUID !== undefined) {
    params.push(scope.sopInstanceUID);
    clauses.push(`i.sop_uid = $${params.length}`);
  }
  return { where: clauses.join(' AND '), params };
}

function numberOrNull(value: string | number | null): number | null {
  if (value === null) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Byte-order string comparison (not locale), the lock order of putInstances. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function conditionSql(condition: AttributeCondition, column: Column, params: unknown[]): string | undefined {
  const ref = `${column.table}.${column.column}`;
  const add = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const toParam = (value: string): unknown => (column.numeric ? Number(value) : value);
  switch (condition.kind) {
    case 'universal':
      return undefined;
    case 'single':
      return condition.caseInsensitive
        ? `lower(${ref}) = lower(${add(condition.value)})`
        : `${ref} = ${add(toParam(condition.value))}`;
    case 'wildcard':
      // lower(…) LIKE matches the studies_patient_name expression index (text_pattern_ops).
      return condition.caseInsensitive
        ? `lower(${ref}) LIKE lower(${add(likePattern(condition.pattern))}) ESCAPE '\\'`
        : `${ref} LIKE ${add(likePattern(condition.pattern))} ESCAPE '\\'`;
    case 'list':
      return `${ref} IN (${condition.values.map((v) => add(toParam(v))).join(', ')})`;
    case 'range': {
      const parts: string[] = [];
      if (condition.lower !== undefined) parts.push(`${ref} >= ${add(condition.lower)}`);
      if (condition.upper !== undefined) parts.push(`${ref} <= ${add(rangeUpperBound(condition.upper))}`);
      return parts.length > 0 ? parts.join(' AND ') : undefined;
    }
    case 'fuzzy':
      throw new PacsError('INTERNAL', 'fuzzy matching is applied in memory');
    default:
      return condition satisfies never;
  }
}
