import { isPacsError } from '@pacskit/dicom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Index, IndexSearch } from '../../ports/Index.js';
import { parseCondition } from '../../services/matching.js';
import { makeRecord } from './makeRecord.js';

/** Opens a fresh, empty index for one test; the runner closes and discards it. */
export type OpenIndex = () => Promise<Index>;

const tags = {
  patientID: ['00100020', 'LO'],
  patientName: ['00100010', 'PN'],
  studyDate: ['00080020', 'DA'],
  accession: ['00080050', 'SH'],
  modalitiesInStudy: ['00080061', 'CS'],
  modality: ['00080060', 'CS'],
  seriesNumber: ['00200011', 'IS'],
  instanceNumber: ['00200013', 'IS'],
  sopClass: ['00080016', 'UI'],
} as const;

function condition(key: keyof typeof tags, raw: string) {
  const [tag, vr] = tags[key];
  return parseCondition(tag, vr, raw);
}

function uids(
  rows: Awaited<ReturnType<Index['search']>>,
  tag: string,
  level: 'study' | 'series' | 'instance',
) {
  return rows.map((row) => row[level]?.[tag]?.Value?.[0]);
}

/**
 * The Index port's contract: what the services rely on, run against every adapter.
 * Semantics are SqliteIndex's (the reference); a difference here is a bug in one adapter.
 */
export function indexContract(name: string, open: OpenIndex): void {
  describe(`Index contract: ${name}`, () => {
    let index: Index;
    beforeEach(async () => {
      index = await open();
    });
    afterEach(async () => {
      await index.close();
    });

    async function seed(): Promise<void> {
      // Two patients, three studies, mixed modalities; inserted out of order on purpose.
      const records = [
        makeRecord({
          study: '1.1',
          series: '1.1.2',
          sop: '1.1.2.1',
          seriesNumber: 2,
          modality: 'SR',
          patientID: 'P1',
          patientName: 'Smith^John',
          studyDate: '20240105',
          accessionNumber: 'A1',
        }),
        makeRecord({
          study: '1.1',
          series: '1.1.1',
          sop: '1.1.1.2',
          seriesNumber: 1,
          instanceNumber: 2,
          patientID: 'P1',
          patientName: 'Smith^John',
          studyDate: '20240105',
          accessionNumber: 'A1',
        }),
        makeRecord({
          study: '1.1',
          series: '1.1.1',
          sop: '1.1.1.1',
          seriesNumber: 1,
          instanceNumber: 1,
          patientID: 'P1',
          patientName: 'Smith^John',
          studyDate: '20240105',
          accessionNumber: 'A1',
        }),
        makeRecord({
          study: '1.2',
          series: '1.2.1',
          sop: '1.2.1.1',
          modality: 'MR',
          sopClassUID: '1.2.840.10008.5.1.4.1.1.4',
          patientID: 'P2',
          patientName: 'smithers^Ann',
          studyDate: '20231231',
          accessionNumber: 'A2',
        }),
        makeRecord({
          study: '1.3',
          series: '1.3.1',
          sop: '1.3.1.1',
          modality: 'CT',
          patientID: 'P3',
          patientName: 'Brown^Bob',
          studyDate: '20240301',
          accessionNumber: 'A3',
        }),
      ];
      const results = await index.putInstances(records, { replace: false });
      expect(results.every((r) => !('error' in r))).toBe(true);
    }

    it('stores and finds an instance record unchanged', async () => {
      const record = makeRecord({ study: '2.1', series: '2.1.1', sop: '2.1.1.1' });
      expect(await index.putInstance(record, { replace: false })).toEqual({
        replaced: undefined,
        newStudy: true,
      });
      expect(await index.findInstance('2.1.1.1')).toEqual(record);
      expect(await index.findInstance('9.9.9')).toBeUndefined();
      expect(await index.countInstances()).toBe(1);
    });

    it('says which record created its study (the first instance of a new study), once', async () => {
      const first = await index.putInstance(makeRecord({ study: '4.1', series: '4.1.1', sop: '4.1.1.1' }), {
        replace: false,
      });
      expect(first.newStudy).toBe(true);
      const second = await index.putInstance(makeRecord({ study: '4.1', series: '4.1.2', sop: '4.1.2.1' }), {
        replace: false,
      });
      expect(second.newStudy).toBe(false);
      // A batch (PostgreSQL's set-based path): only the first record of each study new to the index.
      const batch = await index.putInstances(
        [
          makeRecord({ study: '4.2', series: '4.2.1', sop: '4.2.1.1' }),
          makeRecord({ study: '4.2', series: '4.2.1', sop: '4.2.1.2' }),
          makeRecord({ study: '4.1', series: '4.1.2', sop: '4.1.2.2' }),
          makeRecord({ study: '4.3', series: '4.3.1', sop: '4.3.1.1' }),
        ],
        { replace: false },
      );
      expect(batch.map((r) => ('error' in r ? r.error.code : r.newStudy))).toEqual([
        true,
        false,
        false,
        true,
      ]);
      // Overwriting the only instance of a study re-creates its row, but the study is not new.
      const replaced = await index.putInstance(
        makeRecord({ study: '4.3', series: '4.3.1', sop: '4.3.1.1' }),
        {
          replace: true,
        },
      );
      expect(replaced.replaced?.sopInstanceUID).toBe('4.3.1.1');
      expect(replaced.newStudy).toBe(false);
    });

    it('refuses a duplicate without replace and replaces with it', async () => {
      const first = makeRecord({ study: '2.1', series: '2.1.1', sop: '2.1.1.1' });
      await index.putInstance(first, { replace: false });
      const second = makeRecord({ study: '2.1', series: '2.1.1', sop: '2.1.1.1', instanceNumber: 7 });
      const error = await index.putInstance(second, { replace: false }).catch((e: unknown) => e);
      expect(isPacsError(error) && error.code).toBe('DUPLICATE_INSTANCE');
      expect(await index.findInstance('2.1.1.1')).toEqual(first);
      const result = await index.putInstance(second, { replace: true });
      expect(result.replaced).toEqual(first);
      expect(await index.findInstance('2.1.1.1')).toEqual(second);
      expect(await index.countInstances()).toBe(1);
      const [study] = await index.search({ level: 'study', conditions: [] });
      expect(study?.study['00201208']?.Value).toEqual([1]);
    });

    it('replacing into another series removes the emptied series and study', async () => {
      await index.putInstance(makeRecord({ study: '2.1', series: '2.1.1', sop: '2.1.1.1' }), {
        replace: false,
      });
      await index.putInstance(makeRecord({ study: '2.2', series: '2.2.1', sop: '2.1.1.1' }), {
        replace: true,
      });
      const studies = await index.search({ level: 'study', conditions: [] });
      expect(uids(studies, '0020000D', 'study')).toEqual(['2.2']);
      expect(await index.search({ level: 'series', conditions: [] })).toHaveLength(1);
    });

    it('a batch of new instances reads back unchanged, counts included', async () => {
      const batch = [
        makeRecord({ study: '4.2', series: '4.2.1', sop: '4.2.1.1', modality: 'MR' }),
        makeRecord({ study: '4.1', series: '4.1.1', sop: '4.1.1.1' }),
        makeRecord({ study: '4.1', series: '4.1.1', sop: '4.1.1.2', instanceNumber: 2 }),
        makeRecord({ study: '4.1', series: '4.1.2', sop: '4.1.2.1', modality: 'SR' }),
      ];
      const results = await index.putInstances(batch, { replace: false });
      expect(results).toEqual(
        [true, true, false, false].map((newStudy) => ({ replaced: undefined, newStudy })),
      );
      for (const record of batch) expect(await index.findInstance(record.sopInstanceUID)).toEqual(record);
      const [study] = await index.search({ level: 'study', conditions: [], studyInstanceUID: '4.1' });
      expect(study?.study['00201206']?.Value).toEqual([2]);
      expect(study?.study['00201208']?.Value).toEqual([3]);
      expect(study?.study['00080061']?.Value).toEqual(['CT', 'SR']);
    });

    it('putInstances refuses each bad record on its own', async () => {
      await index.putInstance(makeRecord({ study: '3.1', series: '3.1.1', sop: '3.1.1.1' }), {
        replace: false,
      });
      const results = await index.putInstances(
        [
          makeRecord({ study: '3.1', series: '3.1.1', sop: '3.1.1.2' }),
          makeRecord({ study: '3.1', series: '3.1.1', sop: '3.1.1.1' }),
          makeRecord({ study: '3.2', series: '3.1.1', sop: '3.2.1.1' }),
          makeRecord({ study: '3.2', series: '3.2.1', sop: '3.2.1.2' }),
        ],
        { replace: false },
      );
      expect(results.map((r) => ('error' in r ? r.error.code : 'ok'))).toEqual([
        'ok',
        'DUPLICATE_INSTANCE',
        'DATASET_MISMATCH',
        'ok',
      ]);
      expect(await index.countInstances()).toBe(3);
      expect(await index.findInstance('3.2.1.1')).toBeUndefined();
    });

    it('searches studies with the filters it indexes, and computes study attributes', async () => {
      await seed();
      const study = (search: Partial<IndexSearch>) =>
        index.search({ level: 'study', conditions: [], ...search });
      expect(uids(await study({}), '0020000D', 'study')).toEqual(['1.1', '1.2', '1.3']);
      expect(uids(await study({ conditions: [condition('patientID', 'P2')] }), '0020000D', 'study')).toEqual([
        '1.2',
      ]);
      // PN matching is case-insensitive; '*' is a wildcard.
      expect(
        uids(await study({ conditions: [condition('patientName', 'SMITH*')] }), '0020000D', 'study'),
      ).toEqual(['1.1', '1.2']);
      expect(
        uids(await study({ conditions: [condition('patientName', 'smith^john')] }), '0020000D', 'study'),
      ).toEqual(['1.1']);
      expect(
        uids(await study({ conditions: [condition('studyDate', '20240101-20240331')] }), '0020000D', 'study'),
      ).toEqual(['1.1', '1.3']);
      expect(
        uids(await study({ conditions: [condition('studyDate', '-20240105')] }), '0020000D', 'study'),
      ).toEqual(['1.1', '1.2']);
      expect(
        uids(await study({ conditions: [condition('accession', 'A1,A3')] }), '0020000D', 'study'),
      ).toEqual(['1.1', '1.3']);
      expect(
        uids(await study({ conditions: [condition('modalitiesInStudy', 'SR')] }), '0020000D', 'study'),
      ).toEqual(['1.1']);
      expect(uids(await study({ limit: 1, offset: 1 }), '0020000D', 'study')).toEqual(['1.2']);
      expect(await study({ conditions: [condition('patientID', 'nobody')] })).toEqual([]);
      const [first] = await study({ conditions: [condition('patientID', 'P1')] });
      expect(first?.study['00080061']?.Value).toEqual(['CT', 'SR']);
      expect(first?.study['00080062']?.Value).toEqual(['1.2.840.10008.5.1.4.1.1.2']);
      expect(first?.study['00201206']?.Value).toEqual([2]);
      expect(first?.study['00201208']?.Value).toEqual([3]);
    });

    it('searches series and instances, ordered by series then instance number', async () => {
      await seed();
      const series = await index.search({ level: 'series', conditions: [], studyInstanceUID: '1.1' });
      expect(uids(series, '0020000E', 'series')).toEqual(['1.1.1', '1.1.2']);
      expect(series[0]?.series?.['00201209']?.Value).toEqual([2]);
      const mr = await index.search({ level: 'series', conditions: [condition('modality', 'MR')] });
      expect(uids(mr, '0020000E', 'series')).toEqual(['1.2.1']);
      const bySeriesNumber = await index.search({
        level: 'series',
        conditions: [condition('seriesNumber', '2')],
      });
      expect(uids(bySeriesNumber, '0020000E', 'series')).toEqual(['1.1.2']);
      const instances = await index.search({ level: 'instance', conditions: [], studyInstanceUID: '1.1' });
      expect(uids(instances, '00080018', 'instance')).toEqual(['1.1.1.1', '1.1.1.2', '1.1.2.1']);
      const inSeries = await index.search({
        level: 'instance',
        conditions: [condition('instanceNumber', '2')],
        studyInstanceUID: '1.1',
        seriesInstanceUID: '1.1.1',
      });
      expect(uids(inSeries, '00080018', 'instance')).toEqual(['1.1.1.2']);
      const mrClass = await index.search({
        level: 'instance',
        conditions: [condition('sopClass', '1.2.840.10008.5.1.4.1.1.4')],
      });
      expect(uids(mrClass, '00080018', 'instance')).toEqual(['1.2.1.1']);
      expect(mrClass[0]?.study['0020000D']?.Value).toEqual(['1.2']);
    });

    it('lists metadata and instances of a study, series and instance in order', async () => {
      await seed();
      const metadata = await index.listMetadata({ studyInstanceUID: '1.1' });
      expect(metadata.map((m) => m.sopInstanceUID)).toEqual(['1.1.1.1', '1.1.1.2', '1.1.2.1']);
      expect(metadata[0]).toEqual({
        studyInstanceUID: '1.1',
        seriesInstanceUID: '1.1.1',
        sopInstanceUID: '1.1.1.1',
        metadata: JSON.stringify({ '00080018': { vr: 'UI', Value: ['1.1.1.1'] } }),
      });
      const series = await index.listInstances({ studyInstanceUID: '1.1', seriesInstanceUID: '1.1.2' });
      expect(series.map((r) => r.sopInstanceUID)).toEqual(['1.1.2.1']);
      const one = await index.listInstances({
        studyInstanceUID: '1.1',
        seriesInstanceUID: '1.1.1',
        sopInstanceUID: '1.1.1.2',
      });
      expect(one).toEqual([await index.findInstance('1.1.1.2')]);
      expect(await index.listMetadata({ studyInstanceUID: '9.9' })).toEqual([]);
    });

    it('deletes an instance, a series and a study, keeping counts and blob keys right', async () => {
      await seed();
      const allKeys = await index.blobKeys();
      expect(allKeys.size).toBe(5);
      const removed = await index.deleteInstances({
        studyInstanceUID: '1.1',
        seriesInstanceUID: '1.1.1',
        sopInstanceUID: '1.1.1.1',
      });
      expect(removed.map((r) => r.sopInstanceUID)).toEqual(['1.1.1.1']);
      expect(allKeys.has(removed[0]?.blobKey ?? '')).toBe(true);
      expect((await index.blobKeys()).has(removed[0]?.blobKey ?? '')).toBe(false);
      let [study] = await index.search({ level: 'study', conditions: [condition('patientID', 'P1')] });
      expect(study?.study['00201208']?.Value).toEqual([2]);
      await index.deleteInstances({ studyInstanceUID: '1.1', seriesInstanceUID: '1.1.2' });
      [study] = await index.search({ level: 'study', conditions: [condition('patientID', 'P1')] });
      expect(study?.study['00080061']?.Value).toEqual(['CT']);
      expect(study?.study['00201206']?.Value).toEqual([1]);
      const gone = await index.deleteInstances({ studyInstanceUID: '1.1' });
      expect(gone.map((r) => r.sopInstanceUID)).toEqual(['1.1.1.2']);
      expect(uids(await index.search({ level: 'study', conditions: [] }), '0020000D', 'study')).toEqual([
        '1.2',
        '1.3',
      ]);
      expect(await index.countInstances()).toBe(2);
      expect(await index.deleteInstances({ studyInstanceUID: '1.1' })).toEqual([]);
    });
  });
}
