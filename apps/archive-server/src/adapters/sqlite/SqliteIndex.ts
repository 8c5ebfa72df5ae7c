import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PacsError, isPacsError } from '@pacskit/dicom';
import Database from 'better-sqlite3';
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
import { schema } from './schema.js';

/** The embedded index: SQLite through better-sqlite3, WAL, synchronous=FULL (durable commits). */
export class SqliteIndex implements Index {
  readonly indexedAttributes: Readonly<Record<QueryLevel, ReadonlySet<string>>> = {
    study: new Set([...Object.keys(columnsFor('study')), modalitiesInStudy]),
    series: new Set([...Object.keys(columnsFor('series')), modalitiesInStudy]),
    instance: new Set([...Object.keys(columnsFor('instance')), modalitiesInStudy]),
  };
  private readonly db: Database.Database;
  /** Series (→ study) written in the current putInstances transaction, refreshed at its end. */
  private touched: Map<number, number> | undefined;
  /** A nested better-sqlite3 transaction: a savepoint inside putInstances' transaction. */
  private readonly putOne: (record: InstanceRecord, options: { replace: boolean }) => PutInstanceResult;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before putInstance resolves (the STOW 200 waits for it).
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(schema);
    // Statements are prepared once per SQL text: preparing costs more than running them here.
    // (Search SQL varies with its conditions, so the cache is bounded.)
    const statements = new Map<string, Database.Statement>();
    const prepare = this.db.prepare.bind(this.db);
    this.db.prepare = ((source: string) => {
      let statement = statements.get(source);
      if (!statement) {
        if (statements.size > 500) statements.clear();
        statement = prepare(source);
        statements.set(source, statement);
      }
      return statement;
    }) as typeof this.db.prepare;
    this.putOne = this.createPutOne();
  }

  async findInstance(sopInstanceUID: string): Promise<InstanceRecord | undefined> {
    const row = this.db
      .prepare<[string], InstanceRow>(
        `SELECT i.record, i.metadata, st.attrs AS study_attrs, se.attrs AS series_attrs, i.attrs AS instance_attrs
         FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = se.study_pk
         WHERE i.sop_uid = ?`,
      )
      .get(sopInstanceUID);
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
    // One transaction for the batch (one WAL fsync); each record in its own savepoint so a
    // duplicate or mismatch refuses that record only.
    const putOne = this.putOne;
    return this.db
      .transaction(() => {
        this.touched = new Map();
        const results = records.map((record) => {
          try {
            return putOne(record, options);
          } catch (error) {
            if (isPacsError(error)) return { error };
            throw error;
          }
        });
        // Counts and computed attributes once per touched series and study, not once per record.
        for (const [seriesPk, studyPk] of this.touched) this.refreshCounts(studyPk, seriesPk);
        this.touched = undefined;
        return results;
      })
      .immediate();
  }

  private createPutOne(): (record: InstanceRecord, options: { replace: boolean }) => PutInstanceResult {
    const put = this.db.transaction(
      (record: InstanceRecord, options: { replace: boolean }): PutInstanceResult => {
        let replaced: InstanceRecord | undefined;
        const existing = this.db
          .prepare<[string], InstanceRow>(
            `SELECT i.record, i.metadata, st.attrs AS study_attrs, se.attrs AS series_attrs, i.attrs AS instance_attrs
           FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = se.study_pk
           WHERE i.sop_uid = ?`,
          )
          .get(record.sopInstanceUID);
        if (existing) {
          if (!options.replace) {
            throw new PacsError(
              'DUPLICATE_INSTANCE',
              'an instance with this SOP Instance UID is already stored',
              {
                details: { sopInstanceUID: record.sopInstanceUID },
              },
            );
          }
          replaced = toRecord(existing);
          this.deleteScope({
            studyInstanceUID: replaced.studyInstanceUID,
            seriesInstanceUID: replaced.seriesInstanceUID,
            sopInstanceUID: replaced.sopInstanceUID,
          });
        }
        const s = record.study;
        const studyInsert = this.db
          .prepare(
            `INSERT INTO studies (study_uid, patient_id, patient_name, patient_birth_date, patient_sex, study_date,
             study_time, accession_number, study_id, referring_physician_name, study_description, attrs)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(study_uid) DO NOTHING`,
          )
          .run(
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
          );
        const studyPk = (
          this.db
            .prepare<[string], { pk: number }>('SELECT pk FROM studies WHERE study_uid = ?')
            .get(record.studyInstanceUID) as { pk: number }
        ).pk;
        const se = record.series;
        this.db
          .prepare(
            `INSERT INTO series (series_uid, study_pk, modality, series_number, series_description, series_date,
             series_time, attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(series_uid) DO NOTHING`,
          )
          .run(
            record.seriesInstanceUID,
            studyPk,
            firstValue(se, '00080060'),
            firstValue(se, '00200011'),
            firstValue(se, '0008103E'),
            firstValue(se, '00080021'),
            firstValue(se, '00080031'),
            JSON.stringify(se),
          );
        const seriesRow = this.db
          .prepare<[string], { pk: number; study_pk: number }>(
            'SELECT pk, study_pk FROM series WHERE series_uid = ?',
          )
          .get(record.seriesInstanceUID) as { pk: number; study_pk: number };
        if (seriesRow.study_pk !== studyPk) {
          throw new PacsError(
            'DATASET_MISMATCH',
            'the Series Instance UID already belongs to another study',
            {
              details: { seriesInstanceUID: record.seriesInstanceUID },
            },
          );
        }
        const { metadata, study: _study, series: _series, instance, ...rest } = record;
        this.db
          .prepare(
            `INSERT INTO instances (sop_uid, series_pk, sop_class_uid, instance_number, blob_key, record, metadata, attrs)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            record.sopInstanceUID,
            seriesRow.pk,
            record.sopClassUID,
            firstValue(instance, '00200013'),
            record.blobKey,
            JSON.stringify(rest),
            metadata,
            JSON.stringify(instance),
          );
        if (this.touched) this.touched.set(seriesRow.pk, studyPk);
        else this.refreshCounts(studyPk, seriesRow.pk);
        // An overwrite that removed and re-created the study's only instance is not a new study.
        return { replaced, newStudy: studyInsert.changes === 1 && replaced === undefined };
      },
    );
    return put;
  }

  private refreshCounts(studyPk: number, seriesPk: number | undefined): void {
    if (seriesPk !== undefined) {
      this.db
        .prepare(
          'UPDATE series SET num_instances = (SELECT count(*) FROM instances WHERE series_pk = ?) WHERE pk = ?',
        )
        .run(seriesPk, seriesPk);
    }
    this.db
      .prepare(
        `UPDATE studies SET
           num_series = (SELECT count(*) FROM series WHERE study_pk = :pk),
           num_instances = (SELECT coalesce(sum(num_instances), 0) FROM series WHERE study_pk = :pk),
           modalities = (SELECT group_concat(m, '\\') FROM (SELECT DISTINCT modality AS m FROM series
                          WHERE study_pk = :pk AND modality IS NOT NULL ORDER BY modality)),
           sop_classes = (SELECT group_concat(c, '\\') FROM (SELECT DISTINCT i.sop_class_uid AS c FROM instances i
                          JOIN series se ON se.pk = i.series_pk WHERE se.study_pk = :pk ORDER BY c))
         WHERE pk = :pk`,
      )
      .run({ pk: studyPk });
  }

  async listMetadata(scope: InstanceScope): Promise<StoredMetadata[]> {
    const { where, params } = scopeWhere(scope);
    return this.db
      .prepare<unknown[], StoredMetadata>(
        `SELECT st.study_uid AS studyInstanceUID, se.series_uid AS seriesInstanceUID, i.sop_uid AS sopInstanceUID,
           i.metadata AS metadata
         FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = se.study_pk
         WHERE ${where} ORDER BY se.series_number, se.pk, i.instance_number, i.pk`,
      )
      .all(...params);
  }

  async listInstances(scope: InstanceScope): Promise<InstanceRecord[]> {
    const { where, params } = scopeWhere(scope);
    const rows = this.db
      .prepare<unknown[], InstanceRow>(
        `SELECT i.record, i.metadata, st.attrs AS study_attrs, se.attrs AS series_attrs, i.attrs AS instance_attrs
         FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = se.study_pk
         WHERE ${where} ORDER BY se.series_number, se.pk, i.instance_number, i.pk`,
      )
      .all(...params);
    return rows.map(toRecord);
  }

  async search(search: IndexSearch): Promise<IndexSearchRow[]> {
    const columns = columnsFor(search.level);
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (search.studyInstanceUID !== undefined) {
      clauses.push('st.study_uid = ?');
      params.push(search.studyInstanceUID);
    }
    if (search.seriesInstanceUID !== undefined) {
      clauses.push('se.series_uid = ?');
      params.push(search.seriesInstanceUID);
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
    const where = clauses.length > 0 ? clauses.join(' AND ') : '1';
    const paging = ` LIMIT ${search.limit ?? -1} OFFSET ${search.offset ?? 0}`;
    const studySelect =
      'st.attrs AS study_attrs, st.num_series, st.num_instances, st.modalities, st.sop_classes';
    if (search.level === 'study') {
      const rows = this.db
        .prepare<unknown[], StudyRow>(
          `SELECT ${studySelect} FROM studies st WHERE ${where} ORDER BY st.pk${paging}`,
        )
        .all(...params);
      return rows.map((row) => ({ study: studyDataset(row) }));
    }
    if (search.level === 'series') {
      const rows = this.db
        .prepare<unknown[], StudyRow & { series_attrs: string; series_instances: number }>(
          `SELECT ${studySelect}, se.attrs AS series_attrs, se.num_instances AS series_instances
           FROM series se JOIN studies st ON st.pk = se.study_pk WHERE ${where} ORDER BY st.pk, se.series_number, se.pk${paging}`,
        )
        .all(...params);
      return rows.map((row) => ({
        study: studyDataset(row),
        series: seriesDataset(row.series_attrs, row.series_instances),
      }));
    }
    const rows = this.db
      .prepare<
        unknown[],
        StudyRow & { series_attrs: string; series_instances: number; instance_attrs: string }
      >(
        `SELECT ${studySelect}, se.attrs AS series_attrs, se.num_instances AS series_instances, i.attrs AS instance_attrs
         FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = se.study_pk
         WHERE ${where} ORDER BY st.pk, se.series_number, se.pk, i.instance_number, i.pk${paging}`,
      )
      .all(...params);
    return rows.map((row) => ({
      study: studyDataset(row),
      series: seriesDataset(row.series_attrs, row.series_instances),
      instance: JSON.parse(row.instance_attrs),
    }));
  }

  async deleteInstances(scope: InstanceScope): Promise<InstanceRecord[]> {
    return this.db.transaction(() => this.deleteScope(scope)).immediate();
  }

  private deleteScope(scope: InstanceScope): InstanceRecord[] {
    const { where, params } = scopeWhere(scope);
    const rows = this.db
      .prepare<unknown[], InstanceRow & { pk: number; series_pk: number; study_pk: number }>(
        `SELECT i.pk, i.series_pk, se.study_pk, i.record, i.metadata, st.attrs AS study_attrs,
           se.attrs AS series_attrs, i.attrs AS instance_attrs
         FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = se.study_pk WHERE ${where}`,
      )
      .all(...params);
    const deleteInstance = this.db.prepare('DELETE FROM instances WHERE pk = ?');
    const touched = new Map<number, number>();
    for (const row of rows) {
      deleteInstance.run(row.pk);
      touched.set(row.series_pk, row.study_pk);
    }
    for (const [seriesPk, studyPk] of touched) {
      this.refreshCounts(studyPk, seriesPk);
      this.db.prepare('DELETE FROM series WHERE pk = ? AND num_instances = 0').run(seriesPk);
      this.refreshCounts(studyPk, undefined);
      this.db.prepare('DELETE FROM studies WHERE pk = ? AND num_series = 0').run(studyPk);
    }
    return rows.map(toRecord);
  }

  async blobKeys(): Promise<Set<string>> {
    const rows = this.db.prepare<[], { blob_key: string }>('SELECT blob_key FROM instances').all();
    return new Set(rows.map((r) => r.blob_key));
  }

  async countInstances(): Promise<number> {
    return (this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM instances').get() as { n: number })
      .n;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function scopeWhere(scope: InstanceScope): { where: string; params: string[] } {
  const clauses = ['st.study_uid = ?'];
  const params = [scope.studyInstanceUID];
  if (scope.seriesInstanceUID !== undefined) {
    clauses.push('se.series_uid = ?');
    params.push(scope.seriesInstanceUID);
  }
  if (scope.sopInstanceUID !== undefined) {
    clauses.push('i.sop_uid = ?');
    params.push(scope.sopInstanceUID);
  }
  return { where: clauses.join(' AND '), params };
}

function globEscape(value: string): string {
  return value.replace(/[[\]]/g, (c) => `[${c}]`);
}

function conditionSql(condition: AttributeCondition, column: Column, params: unknown[]): string | undefined {
  const ref = `${column.table}.${column.column}`;
  const toParam = (value: string): unknown => (column.numeric ? Number(value) : value);
  switch (condition.kind) {
    case 'universal':
      return undefined;
    case 'single':
      params.push(toParam(condition.value));
      return condition.caseInsensitive ? `${ref} = ? COLLATE NOCASE` : `${ref} = ?`;
    case 'wildcard':
      if (condition.caseInsensitive) {
        // LIKE is case-insensitive for ASCII; escape its own metacharacters first.
        params.push(likePattern(condition.pattern));
        return `${ref} LIKE ? ESCAPE '\\'`;
      }
      params.push(globEscape(condition.pattern));
      return `${ref} GLOB ?`;
    case 'list':
      params.push(...condition.values.map(toParam));
      return `${ref} IN (${condition.values.map(() => '?').join(', ')})`;
    case 'range': {
      const parts: string[] = [];
      if (condition.lower !== undefined) {
        parts.push(`${ref} >= ?`);
        params.push(condition.lower);
      }
      if (condition.upper !== undefined) {
        parts.push(`${ref} <= ?`);
        params.push(rangeUpperBound(condition.upper));
      }
      return parts.length > 0 ? parts.join(' AND ') : undefined;
    }
    case 'fuzzy':
      throw new PacsError('INTERNAL', 'fuzzy matching is applied in memory');
    default:
      return condition satisfies never;
  }
}
