import { readFileSync } from 'node:fs';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../src/part10/ByteSource.js';
import { readPart10 } from '../src/part10/readPart10.js';
import { generateInstance, newUid, stowBody } from '../src/testing/generateInstance.js';
import { pydicomTestFile } from '../src/testing/testFiles.js';
import { auth, multipartParts, startArchive, value } from './helpers.js';

type Started = Awaited<ReturnType<typeof startArchive>>;
let started: Started;
const ct = readFileSync(pydicomTestFile('CT_small.dcm'));
const mrImplicit = readFileSync(pydicomTestFile('MR_small_implicit.dcm'));
const jpeg = readFileSync(pydicomTestFile('SC_rgb_jpeg_dcmtk.dcm'));
const rle = readFileSync(pydicomTestFile('SC_rgb_rle_2frame.dcm'));
const jpeg2000 = readFileSync(pydicomTestFile('JPEG2000.dcm'));
const ctStudy = '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322';
const ctSeries = '1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322';
const ctInstance = '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322';

async function stow(files: Buffer[], url = '/dicom-web/studies') {
  const { body, contentType } = stowBody(files);
  const response = await started.archive.app.inject({
    method: 'POST',
    url,
    headers: { authorization: auth, 'content-type': contentType },
    payload: body,
  });
  return { status: response.statusCode, json: response.json() as DicomJsonDataset };
}

async function get(url: string, accept?: string) {
  return started.archive.app.inject({
    method: 'GET',
    url,
    headers: { authorization: auth, ...(accept ? { accept } : {}) },
  });
}

function failureReasons(json: DicomJsonDataset): unknown[] {
  return (json['00081198']?.Value ?? []).map((item) => value(item as DicomJsonDataset, '00081197'));
}

beforeAll(async () => {
  started = await startArchive();
  const stored = await stow([ct, mrImplicit, jpeg, rle, jpeg2000]);
  expect(stored.status).toBe(200);
});
afterAll(async () => {
  await started.cleanup();
});

describe('authentication', () => {
  it('refuses DICOMweb without credentials (401 + WWW-Authenticate) and with a wrong password', async () => {
    const none = await started.archive.app.inject({ method: 'GET', url: '/dicom-web/studies' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/Basic realm/);
    const wrong = await started.archive.app.inject({
      method: 'GET',
      url: '/dicom-web/studies',
      headers: { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('leaves /healthz, /readyz and /metrics open', async () => {
    expect((await started.archive.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await started.archive.app.inject({ url: '/readyz' });
    expect(ready.json().instances).toBeGreaterThanOrEqual(4);
    const metrics = await started.archive.app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/pacskit_instances_stored_total \d+/);
    expect(metrics.body).toContain('pacskit_http_request_duration_seconds_bucket');
  });
});

describe('QIDO-RS', () => {
  it('finds a study by exact PatientID with computed attributes and RetrieveURL', async () => {
    const response = await get('/dicom-web/studies?PatientID=1CT1');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/dicom+json');
    const [study] = response.json() as DicomJsonDataset[];
    expect(value(study, '0020000D')).toBe(ctStudy);
    expect(study?.['00080061']?.Value).toEqual(['CT']);
    expect(value(study, '00201206')).toBe(1);
    expect(value(study, '00201208')).toBe(1);
    expect(value(study, '00081190')).toBe(`http://localhost:80/dicom-web/studies/${ctStudy}`);
  });

  it('matches wildcards case-insensitively on PN, ranges on dates, UID lists and ModalitiesInStudy', async () => {
    const byName = (
      await get('/dicom-web/studies?PatientName=compressedsamples*')
    ).json() as DicomJsonDataset[];
    expect(byName.map((s) => value(s, '00100020')).sort()).toEqual(['1CT1', '4MR1', '8NM1']);
    const byRange = (
      await get('/dicom-web/studies?StudyDate=20040101-20040201')
    ).json() as DicomJsonDataset[];
    expect(byRange.map((s) => value(s, '0020000D'))).toEqual([ctStudy]);
    const byList = (
      await get(`/dicom-web/studies?StudyInstanceUID=${ctStudy},1.2.3`)
    ).json() as DicomJsonDataset[];
    expect(byList.length).toBe(1);
    const byModality = (await get('/dicom-web/studies?ModalitiesInStudy=MR')).json() as DicomJsonDataset[];
    expect(byModality.map((s) => value(s, '00100020'))).toEqual(['4MR1']);
  });

  it('applies fuzzymatching, includefield, limit and offset with a stable order', async () => {
    const fuzzy = (
      await get('/dicom-web/studies?PatientName=mr1&fuzzymatching=true')
    ).json() as DicomJsonDataset[];
    expect(fuzzy.map((s) => value(s, '00100020'))).toEqual(['4MR1']);
    const all = (await get('/dicom-web/studies')).json() as DicomJsonDataset[];
    const page = (await get('/dicom-web/studies?limit=2&offset=1')).json() as DicomJsonDataset[];
    expect(page.map((s) => value(s, '0020000D'))).toEqual(all.slice(1, 3).map((s) => value(s, '0020000D')));
    const included = (
      await get('/dicom-web/studies?PatientID=1CT1&includefield=StudyDescription,00101010')
    ).json() as DicomJsonDataset[];
    expect(included[0]).toHaveProperty('00081030');
    expect(included[0]).toHaveProperty('00101010');
    const everything = (
      await get('/dicom-web/studies?PatientID=1CT1&includefield=all')
    ).json() as DicomJsonDataset[];
    expect(Object.keys(everything[0] ?? {}).length).toBeGreaterThan(Object.keys(included[0] ?? {}).length);
  });

  it('searches series and instances, nested and at the root', async () => {
    const series = (await get(`/dicom-web/studies/${ctStudy}/series`)).json() as DicomJsonDataset[];
    expect(series.map((s) => value(s, '0020000E'))).toEqual([ctSeries]);
    expect(value(series[0], '00201209')).toBe(1);
    const allSeries = (await get('/dicom-web/series?Modality=CT')).json() as DicomJsonDataset[];
    expect(allSeries.map((s) => value(s, '0020000E'))).toContain(ctSeries);
    expect(value(allSeries[0], '00100020')).toBe('1CT1'); // study attributes on unscoped series searches
    const instances = (
      await get(`/dicom-web/studies/${ctStudy}/series/${ctSeries}/instances`)
    ).json() as DicomJsonDataset[];
    expect(instances.map((i) => value(i, '00080018'))).toEqual([ctInstance]);
    expect(value(instances[0], '00280010')).toBe(128);
    const bySop = (
      await get(`/dicom-web/instances?SOPInstanceUID=${ctInstance}`)
    ).json() as DicomJsonDataset[];
    expect(bySop.length).toBe(1);
    const inStudy = (await get(`/dicom-web/studies/${ctStudy}/instances`)).json() as DicomJsonDataset[];
    expect(inStudy.length).toBe(1);
  });

  it('matches attributes the index has no column for in memory (matchDataset), with paging', async () => {
    const rows128 = (await get('/dicom-web/instances?Rows=128')).json() as DicomJsonDataset[];
    expect(rows128.map((i) => value(i, '00080018'))).toContain(ctInstance);
    expect(rows128.every((i) => value(i, '00280010') === 128)).toBe(true);
    const rows64 = (await get('/dicom-web/instances?Rows=64&limit=1')).json() as DicomJsonDataset[];
    expect(rows64.length).toBe(1);
    expect(value(rows64[0], '00280010')).toBe(64);
    const bySex = (
      await get('/dicom-web/studies?PatientSex=O&PatientBirthDate=')
    ).json() as DicomJsonDataset[];
    expect(bySex.map((s) => value(s, '00100020'))).toEqual(['1CT1']);
  });

  it('answers 400 to bad query parameters', async () => {
    for (const query of [
      'limit=-1',
      'limit=abc',
      'offset=1.5',
      'NoSuchKeyword=1',
      'StudyDate=2024-01-01',
      'StudyDate=20240101-20240201-20240301',
      'StudyInstanceUID=1.02.3',
      'fuzzymatching=maybe',
      'includefield=NotAKeyword',
      'Rows=abc',
    ]) {
      const response = await get(`/dicom-web/studies?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code, query).toMatch(/INVALID_QUERY|INVALID_UID/);
    }
  });

  it('answers 406 when the client accepts no JSON', async () => {
    expect((await get('/dicom-web/studies', 'application/dicom+xml')).statusCode).toBe(406);
  });
});

describe('WADO-RS', () => {
  it('retrieves an instance byte-for-byte in its stored transfer syntax', async () => {
    const response = await get(`/dicom-web/studies/${ctStudy}/series/${ctSeries}/instances/${ctInstance}`);
    expect(response.statusCode).toBe(200);
    const parts = multipartParts(response.rawPayload, response.headers['content-type'] as string);
    expect(parts.length).toBe(1);
    expect(parts[0]?.body.equals(ct)).toBe(true);
  });

  it('retrieves a whole study as multipart', async () => {
    const response = await get(
      `/dicom-web/studies/${ctStudy}`,
      'multipart/related; type="application/dicom"; transfer-syntax=*',
    );
    expect(multipartParts(response.rawPayload, response.headers['content-type'] as string).length).toBe(1);
  });

  it('converts implicit VR little endian to Explicit VR Little Endian on request, values unchanged', async () => {
    const original = readPart10(new BufferSource(mrImplicit));
    const study = value(original.dataset, '0020000D') as string;
    const response = await get(
      `/dicom-web/studies/${study}`,
      'multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.1',
    );
    expect(response.statusCode).toBe(200);
    const [part] = multipartParts(response.rawPayload, response.headers['content-type'] as string);
    expect(part?.headers).toContain('transfer-syntax=1.2.840.10008.1.2.1');
    const converted = readPart10(new BufferSource(part?.body as Buffer));
    expect(converted.transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(converted.dataset['00100010']).toEqual(original.dataset['00100010']);
    expect(converted.dataset['00280030']).toEqual(original.dataset['00280030']);
    expect(converted.pixelData?.length).toBe(original.pixelData?.length);
  });

  it('decompresses a compressed instance asked for in Explicit VR Little Endian', async () => {
    const study = value(readPart10(new BufferSource(jpeg)).dataset, '0020000D') as string;
    const response = await get(
      `/dicom-web/studies/${study}`,
      'multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.1',
    );
    expect(response.statusCode).toBe(200);
    const [part] = multipartParts(response.rawPayload, response.headers['content-type'] as string);
    const converted = readPart10(new BufferSource(part?.body as Buffer));
    expect(converted.transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(converted.pixelData?.encapsulated).toBe(false);
    expect(value(converted.dataset, '00280004')).toBe('RGB');
  });

  it('serves metadata at every level with absolute BulkDataURIs that resolve', async () => {
    const study = await get(`/dicom-web/studies/${ctStudy}/metadata`);
    expect(study.statusCode).toBe(200);
    const [instance] = study.json() as DicomJsonDataset[];
    expect(value(instance, '00080018')).toBe(ctInstance);
    const uri = instance?.['7FE00010']?.BulkDataURI as string;
    expect(uri).toBe(
      `http://localhost:80/dicom-web/studies/${ctStudy}/series/${ctSeries}/instances/${ctInstance}/bulk/7FE00010`,
    );
    const bulk = await get(new URL(uri).pathname);
    const [part] = multipartParts(bulk.rawPayload, bulk.headers['content-type'] as string);
    expect(part?.body.length).toBe(128 * 128 * 2);
    expect((await get(`/dicom-web/studies/${ctStudy}/series/${ctSeries}/metadata`)).json()).toHaveLength(1);
    expect(
      (await get(`/dicom-web/studies/${ctStudy}/series/${ctSeries}/instances/${ctInstance}/metadata`)).json(),
    ).toHaveLength(1);
  });

  it('serves native frames and encapsulated frames (single and lists)', async () => {
    const native = await get(
      `/dicom-web/studies/${ctStudy}/series/${ctSeries}/instances/${ctInstance}/frames/1`,
    );
    expect(native.statusCode).toBe(200);
    const [frame] = multipartParts(native.rawPayload, native.headers['content-type'] as string);
    const pixel = readPart10(new BufferSource(ct)).pixelData;
    expect(frame?.body.equals(ct.subarray(pixel?.offset, (pixel?.offset ?? 0) + 128 * 128 * 2))).toBe(true);
    const parsed = readPart10(new BufferSource(rle));
    const ids = parsed.dataset;
    const url = `/dicom-web/studies/${value(ids, '0020000D')}/series/${value(ids, '0020000E')}/instances/${value(ids, '00080018')}/frames/1,2`;
    const encapsulated = await get(url);
    expect(encapsulated.headers['content-type']).toContain('image/x-dicom-rle');
    const frames = multipartParts(encapsulated.rawPayload, encapsulated.headers['content-type'] as string);
    expect(frames.map((f) => f.body.length)).toEqual(parsed.pixelData?.fragments.map((f) => f.length));
    expect((await get(url.replace('1,2', '3'))).statusCode).toBe(404);
    expect((await get(url.replace('1,2', '0'))).statusCode).toBe(400);
  });

  it('renders JPEG and PNG with window/level, and thumbnails', async () => {
    const base = `/dicom-web/studies/${ctStudy}/series/${ctSeries}/instances/${ctInstance}`;
    const jpegImage = await get(`${base}/rendered`, 'image/jpeg');
    expect(jpegImage.statusCode).toBe(200);
    expect(jpegImage.rawPayload.subarray(0, 2).toString('hex')).toBe('ffd8');
    const png = await get(`${base}/rendered?window=40,400&viewport=64,64`, 'image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect(png.rawPayload.readUInt32BE(16)).toBe(64); // IHDR width
    const other = await get(`${base}/rendered?window=1000,10`, 'image/png');
    expect(other.rawPayload.equals(png.rawPayload)).toBe(false);
    const thumbnail = await get(`/dicom-web/studies/${ctStudy}/thumbnail`, 'image/jpeg');
    expect(thumbnail.statusCode).toBe(200);
    const colour = readPart10(new BufferSource(jpeg)).dataset;
    const jpegRendered = await get(
      `/dicom-web/studies/${value(colour, '0020000D')}/series/${value(colour, '0020000E')}/instances/${value(colour, '00080018')}/rendered`,
      'image/jpeg',
    );
    expect(jpegRendered.statusCode).toBe(200);
  });

  it('renders RLE Lossless and JPEG 2000 frames (decoded here), and answers 400 for a bad window', async () => {
    const ids = readPart10(new BufferSource(rle)).dataset;
    const base = `/dicom-web/studies/${value(ids, '0020000D')}/series/${value(ids, '0020000E')}/instances/${value(ids, '00080018')}`;
    const first = await get(`${base}/frames/1/rendered`, 'image/png');
    const second = await get(`${base}/frames/2/rendered`, 'image/png');
    expect(first.statusCode).toBe(200);
    expect(first.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect(first.rawPayload.equals(second.rawPayload)).toBe(false);
    const j2k = readPart10(new BufferSource(jpeg2000)).dataset;
    const rendered = await get(
      `/dicom-web/studies/${value(j2k, '0020000D')}/series/${value(j2k, '0020000E')}/instances/${value(j2k, '00080018')}/rendered`,
      'image/jpeg',
    );
    // Pixel-level checks of every codec are in render.test.ts.
    expect(rendered.statusCode).toBe(200);
    expect(rendered.rawPayload.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect((await get(`/dicom-web/studies/${ctStudy}/rendered?window=abc`, 'image/jpeg')).statusCode).toBe(
      400,
    );
  });

  it('answers 404 for unknown studies and 400 for invalid UIDs in the URL', async () => {
    expect((await get('/dicom-web/studies/1.2.3.4/metadata')).statusCode).toBe(404);
    const invalid = await get('/dicom-web/studies/1.2.abc/metadata');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('INVALID_UID');
  });
});

describe('WADO-URI', () => {
  it('returns application/dicom and image/jpeg', async () => {
    const query = `requestType=WADO&studyUID=${ctStudy}&seriesUID=${ctSeries}&objectUID=${ctInstance}`;
    const dicom = await get(`/wado?${query}&contentType=application/dicom`);
    expect(dicom.headers['content-type']).toBe('application/dicom');
    expect(dicom.rawPayload.equals(ct)).toBe(true);
    const image = await get(`/wado?${query}&contentType=image/jpeg&windowCenter=40&windowWidth=400&rows=32`);
    expect(image.rawPayload.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect((await get(`/wado?requestType=WADO&studyUID=${ctStudy}`)).statusCode).toBe(400);
    expect((await get(`/wado?${query}&contentType=text/html`)).statusCode).toBe(406);
  });
});

describe('STOW-RS outcomes and duplicates', () => {
  it('keeps the first copy of a duplicate with a warning (202, WarningReason)', async () => {
    const result = await stow([ct]);
    expect(result.status).toBe(202);
    const item = result.json['00081199']?.Value?.[0] as DicomJsonDataset;
    expect(value(item, '00081196')).toBe(0xb006);
  });

  it('stores into /studies/{study} and refuses an instance of another study there (409, 0xA900)', async () => {
    const study = newUid();
    const good = generateInstance({
      studyInstanceUID: study,
      seriesInstanceUID: newUid(),
      sopInstanceUID: newUid(),
    });
    const other = generateInstance({
      studyInstanceUID: newUid(),
      seriesInstanceUID: newUid(),
      sopInstanceUID: newUid(),
    });
    const mixed = await stow([good, other], `/dicom-web/studies/${study}`);
    expect(mixed.status).toBe(202);
    expect(failureReasons(mixed.json)).toEqual([0xa900]);
    expect(value(mixed.json, '00081190')).toContain(study);
  });
});

describe('DELETE', () => {
  it('removes an instance, its series and study when empty; later reads are 404', async () => {
    const study = newUid();
    const series = newUid();
    const sop = newUid();
    await stow([
      generateInstance({ studyInstanceUID: study, seriesInstanceUID: series, sopInstanceUID: sop }),
    ]);
    const response = await started.archive.app.inject({
      method: 'DELETE',
      url: `/dicom-web/studies/${study}/series/${series}/instances/${sop}`,
      headers: { authorization: auth },
    });
    expect(response.statusCode).toBe(204);
    expect((await get(`/dicom-web/studies/${study}/metadata`)).statusCode).toBe(404);
    expect((await get(`/dicom-web/studies?StudyInstanceUID=${study}`)).json()).toEqual([]);
    const again = await started.archive.app.inject({
      method: 'DELETE',
      url: `/dicom-web/studies/${study}`,
      headers: { authorization: auth },
    });
    expect(again.statusCode).toBe(404);
  });
});
