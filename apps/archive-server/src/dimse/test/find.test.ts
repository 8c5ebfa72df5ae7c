import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DimseServices } from '../dimseServices.js';
import {
  type CorpusInstance,
  type TestServer,
  findscu,
  generateCorpus,
  run,
  startTestServer,
  temporaryDirectory,
} from './harness.js';
import { MemoryDimseServices } from './memoryDimseServices.js';

/** Yields matches one by one with a pause, so a C-CANCEL can arrive before the last one. */
function slowSearch(services: MemoryDimseServices): DimseServices {
  const search: DimseServices['search'] = (options) =>
    (async function* () {
      for (const match of await services.search(options)) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        yield match;
      }
    })();
  return Object.assign(Object.create(services) as MemoryDimseServices, { search });
}

describe('C-FIND (findscu), Patient Root and Study Root', { timeout: 60_000 }, () => {
  let server: TestServer;
  let corpus: CorpusInstance[];
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  const services = new MemoryDimseServices();

  beforeAll(async () => {
    directory = await temporaryDirectory();
    corpus = await generateCorpus(directory.path, { patients: 4, studies: 2, series: 2, instances: 1 });
    server = await startTestServer({ services: slowSearch(services) });
    const stored = await run('storescu', [
      '-aec',
      server.aeTitle,
      '127.0.0.1',
      String(server.port),
      ...corpus.map((i) => i.path),
    ]);
    expect(stored.code, stored.stderr).toBe(0);
    expect(services.instances.size).toBe(corpus.length);
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await directory.remove();
  });

  test('C-ECHO succeeds', async () => {
    const result = await run('echoscu', ['-aec', server.aeTitle, '127.0.0.1', String(server.port)]);
    expect(result.code, result.stderr).toBe(0);
  });

  test('study level, wildcard on PatientName, returns only the requested keys', async () => {
    const { result, responses } = await findscu(server.port, server.aeTitle, [
      '-S',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      'PatientName=ALPHA*',
      '-k',
      'StudyInstanceUID',
      '-k',
      'StudyDate',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(responses).toHaveLength(4);
    for (const response of responses) {
      expect(response).toMatch(/\(0010,0010\) PN \[ALPHA\^PATIENT[13]\]/);
      expect(response).toMatch(/\(0008,0052\) CS \[STUDY\]/);
      expect(response).toMatch(/\(0020,000d\) UI \[/);
      expect(response).not.toMatch(/\(0010,0020\)/);
      expect(response).not.toMatch(/\(0008,0050\)/);
    }
  });

  test('study level, date range', async () => {
    const { responses } = await findscu(server.port, server.aeTitle, [
      '-S',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      'StudyDate=20200401-20200531',
      '-k',
      'StudyInstanceUID',
    ]);
    const expected = new Set(
      corpus
        .filter((i) => i.studyDate >= '20200401' && i.studyDate <= '20200531')
        .map((i) => i.studyInstanceUID),
    );
    expect(responses).toHaveLength(expected.size);
    for (const response of responses) {
      expect(response).toMatch(/StudyDate/);
      const date = /\(0008,0020\) DA \[(\d+)\]/.exec(response)?.[1] ?? '';
      expect(date >= '20200401' && date <= '20200531', date).toBe(true);
    }
  });

  test('study level, list of Patient IDs', async () => {
    const { responses } = await findscu(server.port, server.aeTitle, [
      '-S',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      'PatientID=PID1\\PID4',
      '-k',
      'StudyInstanceUID',
    ]);
    expect(responses).toHaveLength(4);
    expect(responses.every((response) => /\[PID[14]\]/.test(response))).toBe(true);
  });

  test('patient root, patient level, wildcard', async () => {
    const { responses } = await findscu(server.port, server.aeTitle, [
      '-P',
      '-k',
      'QueryRetrieveLevel=PATIENT',
      '-k',
      'PatientID=PID*',
      '-k',
      'PatientName',
    ]);
    expect(responses).toHaveLength(4);
    expect(responses.join('\n')).toMatch(/BETA\^PATIENT4/);
  });

  test('series level within a study, by modality', async () => {
    const study = corpus[0]!.studyInstanceUID;
    const { responses } = await findscu(server.port, server.aeTitle, [
      '-S',
      '-k',
      'QueryRetrieveLevel=SERIES',
      '-k',
      `StudyInstanceUID=${study}`,
      '-k',
      'Modality=MR',
      '-k',
      'SeriesInstanceUID',
    ]);
    const expected = corpus.find((i) => i.studyInstanceUID === study && i.modality === 'MR')!;
    expect(responses).toHaveLength(1);
    expect(responses[0]).toContain(expected.seriesInstanceUID);
  });

  test('image level within a series (patient root)', async () => {
    const instance = corpus[3]!;
    const { responses } = await findscu(server.port, server.aeTitle, [
      '-P',
      '-k',
      'QueryRetrieveLevel=IMAGE',
      '-k',
      `PatientID=${instance.patientID}`,
      '-k',
      `StudyInstanceUID=${instance.studyInstanceUID}`,
      '-k',
      `SeriesInstanceUID=${instance.seriesInstanceUID}`,
      '-k',
      'SOPInstanceUID',
    ]);
    expect(responses).toHaveLength(1);
    expect(responses[0]).toContain(`[${instance.sopInstanceUID}]`);
  });

  test('C-CANCEL stops the responses and ends with status Cancel', async () => {
    const { result, responses } = await findscu(server.port, server.aeTitle, [
      '-v',
      '--cancel',
      '2',
      '-S',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      'StudyInstanceUID',
    ]);
    expect(responses.length).toBeLessThan(8);
    expect(result.stderr + result.stdout).toMatch(/Cancel/);
  });
});
