import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stowBody } from '../src/testing/generateInstance.js';
import { pydicomTestFile } from '../src/testing/testFiles.js';
import { auth, startArchive } from './helpers.js';

// Regression: tags in groups >= 0x8000 (CT_small.dcm has (FFFC,FFFC) data set trailing padding)
// were formatted through a signed 32-bit shift and came out as "00-30004" in WADO-RS metadata.
describe('tags in groups 0x8000 and above', () => {
  let started: Awaited<ReturnType<typeof startArchive>>;
  beforeAll(async () => {
    started = await startArchive();
    const { body, contentType } = stowBody([readFileSync(pydicomTestFile('CT_small.dcm'))]);
    const response = await started.archive.app.inject({
      method: 'POST',
      url: '/dicom-web/studies',
      headers: { authorization: auth, 'content-type': contentType },
      payload: body,
    });
    expect(response.statusCode).toBe(200);
  });
  afterAll(() => started.cleanup());

  it('every key of the metadata is an 8-digit hex tag', async () => {
    const studies = await started.archive.app.inject({
      url: '/dicom-web/studies',
      headers: { authorization: auth },
    });
    const study = (studies.json() as Array<Record<string, { Value: string[] }>>)[0]!['0020000D']!.Value[0];
    const metadata = await started.archive.app.inject({
      url: `/dicom-web/studies/${study}/metadata`,
      headers: { authorization: auth },
    });
    expect(metadata.statusCode).toBe(200);
    const keys = (metadata.json() as Array<Record<string, unknown>>).flatMap((dataset) =>
      Object.keys(dataset),
    );
    expect(keys.length).toBeGreaterThan(20);
    for (const key of keys) expect(key).toMatch(/^[0-9A-F]{8}$/);
  });
});
