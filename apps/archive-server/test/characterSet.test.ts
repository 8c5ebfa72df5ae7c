import { readFileSync } from 'node:fs';
import type { DicomJsonDataset, PersonNameValue } from '@pacskit/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stowBody } from '../src/testing/generateInstance.js';
import { pydicomCharsetFile } from '../src/testing/testFiles.js';
import { auth, startArchive } from './helpers.js';

/**
 * ISO 2022 code extensions with multi-byte sets (PS3.5 6.1.2.5, Annexes H and I) must be indexed in
 * Unicode, so that QIDO returns and matches the names as written. Expected names: pydicom
 * tests/test_charset.py FILE_PATIENT_NAMES.
 */
const files: Array<[string, string]> = [
  ['chrJapMulti.dcm', 'やまだ^たろう'],
  ['chrKoreanMulti.dcm', '김희중'],
];

type Started = Awaited<ReturnType<typeof startArchive>>;
let started: Started;

async function qido(query: string): Promise<DicomJsonDataset[]> {
  const response = await started.archive.app.inject({
    method: 'GET',
    url: `/dicom-web/studies?${query}`,
    headers: { authorization: auth },
  });
  expect(response.statusCode).toBe(200);
  return response.statusCode === 204 ? [] : (response.json() as DicomJsonDataset[]);
}

function alphabetic(dataset: DicomJsonDataset | undefined): string | undefined {
  return (dataset?.['00100010']?.Value?.[0] as PersonNameValue | undefined)?.Alphabetic;
}

beforeAll(async () => {
  started = await startArchive();
  const { body, contentType } = stowBody(files.map(([name]) => readFileSync(pydicomCharsetFile(name))));
  const response = await started.archive.app.inject({
    method: 'POST',
    url: '/dicom-web/studies',
    headers: { authorization: auth, 'content-type': contentType },
    payload: body,
  });
  // chrJapMulti lacks some CT attributes, so it is stored with a warning (B007, 202) like Orthanc does.
  expect([200, 202]).toContain(response.statusCode);
  const outcome = response.json() as DicomJsonDataset;
  expect(outcome['00081199']?.Value?.length).toBe(files.length);
  expect(outcome['00081198']).toBeUndefined();
});
afterAll(async () => {
  await started.cleanup();
});

describe('multi-byte Specific Character Sets through STOW and QIDO', () => {
  it('returns each PatientName in Unicode', async () => {
    const names = (await qido('includefield=PatientName')).map(alphabetic).sort();
    expect(names).toEqual(files.map(([, name]) => name).sort());
  });

  for (const [file, name] of files) {
    it(`matches a PatientName query with the Unicode value (${file})`, async () => {
      const matches = await qido(`PatientName=${encodeURIComponent(name)}`);
      expect(matches.map(alphabetic)).toEqual([name]);
    });
  }
});
