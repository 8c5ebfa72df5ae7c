import { readFileSync } from 'node:fs';
import type { DicomJsonAttribute, DicomJsonDataset } from '@pacskit/dicom';
import { parsePart10 } from '@pacskit/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUid, stowBody } from '../src/testing/generateInstance.js';
import { pydicomTestFile } from '../src/testing/testFiles.js';
import { auth, multipartParts, startArchive, value } from './helpers.js';

/**
 * STOW-RS of DICOM JSON (PS3.18 10.5.1.2): metadata and bulk data taken from one archive's own
 * WADO-RS are stored as JSON into a second archive, which must then serve the same metadata,
 * bulk data and rendered pixels.
 */
type Started = Awaited<ReturnType<typeof startArchive>>;
let source: Started;
let target: Started;
const files = ['CT_small.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'SC_rgb_rle_2frame.dcm'];

async function get(archive: Started, url: string, accept?: string) {
  return archive.archive.app.inject({
    method: 'GET',
    url,
    headers: { authorization: auth, ...(accept ? { accept } : {}) },
  });
}

interface Part {
  contentType: string;
  contentLocation?: string;
  body: Buffer;
}

function multipart(parts: Part[], boundary = 'json-stow-boundary') {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const location = part.contentLocation ? `Content-Location: ${part.contentLocation}\r\n` : '';
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Type: ${part.contentType}\r\n${location}\r\n`),
      part.body,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(chunks),
    contentType: `multipart/related; type="application/dicom+json"; boundary=${boundary}`,
  };
}

async function post(archive: Started, payload: Buffer, contentType: string, url = '/dicom-web/studies') {
  const response = await archive.archive.app.inject({
    method: 'POST',
    url,
    headers: { authorization: auth, 'content-type': contentType },
    payload,
  });
  return { status: response.statusCode, json: response.json() as DicomJsonDataset };
}

function failures(json: DicomJsonDataset): Array<{ instance: unknown; reason: unknown }> {
  return (json['00081198']?.Value ?? []).map((item) => ({
    instance: value(item as DicomJsonDataset, '00081155'),
    reason: value(item as DicomJsonDataset, '00081197'),
  }));
}

function instanceUrl(dataset: DicomJsonDataset): string {
  return `/dicom-web/studies/${value(dataset, '0020000D')}/series/${value(dataset, '0020000E')}/instances/${value(dataset, '00080018')}`;
}

async function metadataOf(archive: Started, url: string): Promise<DicomJsonDataset> {
  const response = await get(archive, `${url}/metadata`, 'application/dicom+json');
  expect(response.statusCode).toBe(200);
  return (response.json() as DicomJsonDataset[])[0] as DicomJsonDataset;
}

/** Every BulkDataURI of a data set (top level and in sequences). */
function bulkDataUris(dataset: DicomJsonDataset): Array<{ tag: string; uri: string }> {
  const found: Array<{ tag: string; uri: string }> = [];
  const visit = (attributes: DicomJsonDataset) => {
    for (const [tag, attribute] of Object.entries(attributes) as Array<[string, DicomJsonAttribute]>) {
      if (attribute.BulkDataURI) found.push({ tag, uri: attribute.BulkDataURI });
      if (attribute.vr === 'SQ') for (const item of attribute.Value ?? []) visit(item as DicomJsonDataset);
    }
  };
  visit(dataset);
  return found;
}

/** A bulk data value from WADO-RS (PS3.18 10.4.1.1.5): a one-part multipart/related response. */
async function bulkBytes(archive: Started, uri: string): Promise<Buffer> {
  const response = await get(
    archive,
    new URL(uri).pathname,
    'multipart/related; type="application/octet-stream"',
  );
  expect(response.statusCode).toBe(200);
  const [part] = multipartParts(response.rawPayload, response.headers['content-type'] as string);
  return part?.body as Buffer;
}

/** The metadata and bulk data parts of one stored instance, as WADO-RS serves them. */
async function jsonStowParts(
  archive: Started,
  url: string,
): Promise<{ metadata: DicomJsonDataset; parts: Part[] }> {
  const metadata = await metadataOf(archive, url);
  const syntax = syntaxByInstance.get(url) as string;
  const native = ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2'].includes(syntax);
  const parts: Part[] = [];
  for (const { tag, uri } of bulkDataUris(metadata)) {
    parts.push({
      contentType:
        tag === '7FE00010' && !native
          ? `application/octet-stream; transfer-syntax=${syntax}`
          : 'application/octet-stream',
      contentLocation: uri,
      body: await bulkBytes(archive, uri),
    });
  }
  return { metadata, parts };
}

const stored: DicomJsonDataset[] = [];
/** The original transfer syntax of each stored file, by instance URL (the bulk Pixel Data is in it). */
const syntaxByInstance = new Map<string, string>();

beforeAll(async () => {
  source = await startArchive();
  target = await startArchive();
  const bytes = files.map((name) => readFileSync(pydicomTestFile(name)));
  const { body, contentType } = stowBody(bytes);
  const response = await source.archive.app.inject({
    method: 'POST',
    url: '/dicom-web/studies',
    headers: { authorization: auth, 'content-type': contentType },
    payload: body,
  });
  expect(response.statusCode).toBeLessThan(300);
  for (const file of bytes) {
    const parsed = parsePart10(file, { untilTag: '7FE00010' });
    stored.push(parsed.dataset);
    syntaxByInstance.set(instanceUrl(parsed.dataset), parsed.transferSyntaxUID);
  }
}, 60_000);
afterAll(async () => {
  await source.cleanup();
  await target.cleanup();
});

describe('STOW-RS of DICOM JSON with bulk data parts', () => {
  it('round-trips metadata, bulk data and rendered pixels (native, JPEG-LS) through a second archive', async () => {
    const [ct, jpegLs] = stored as [DicomJsonDataset, DicomJsonDataset];
    const all: Part[] = [];
    const datasets: DicomJsonDataset[] = [];
    for (const dataset of [ct, jpegLs]) {
      const { metadata, parts } = await jsonStowParts(source, instanceUrl(dataset));
      datasets.push(metadata);
      all.push(...parts);
    }
    const { body, contentType } = multipart([
      { contentType: 'application/dicom+json', body: Buffer.from(JSON.stringify(datasets)) },
      ...all,
    ]);
    const response = await post(target, body, contentType);
    expect(failures(response.json), JSON.stringify(response.json)).toEqual([]);
    expect(response.json['00081199']?.Value).toHaveLength(2);
    for (const dataset of [ct, jpegLs]) {
      const url = instanceUrl(dataset);
      const before = await metadataOf(source, url);
      const after = await metadataOf(target, url);
      const native = !(syntaxByInstance.get(url) as string).startsWith('1.2.840.10008.1.2.4');
      // Encapsulated Pixel Data is written OB (PS3.5 A.4); the pydicom JPEG-LS file says OW.
      const pixelVr = native ? before['7FE00010']?.vr : 'OB';
      expect(after).toEqual({ ...before, '7FE00010': { ...before['7FE00010'], vr: pixelVr } });
      for (const { uri } of bulkDataUris(before)) {
        expect((await bulkBytes(target, uri)).equals(await bulkBytes(source, uri))).toBe(true);
      }
      const renderedBefore = await get(source, `${url}/rendered`, 'image/png');
      const renderedAfter = await get(target, `${url}/rendered`, 'image/png');
      expect(renderedAfter.statusCode).toBe(200);
      expect(renderedAfter.rawPayload.equals(renderedBefore.rawPayload)).toBe(true);
    }
  });

  it('stores bare application/dicom+json with InlineBinary values (a fresh copy of CT_small)', async () => {
    const ct = stored[0] as DicomJsonDataset;
    const { metadata, parts } = await jsonStowParts(source, instanceUrl(ct));
    const fresh: DicomJsonDataset = {
      ...metadata,
      '0020000D': { vr: 'UI', Value: [newUid()] },
      '0020000E': { vr: 'UI', Value: [newUid()] },
      '00080018': { vr: 'UI', Value: [newUid()] },
    };
    for (const { tag, uri } of bulkDataUris(metadata)) {
      const part = parts.find((p) => p.contentLocation === uri) as Part;
      fresh[tag] = {
        vr: (metadata[tag] as DicomJsonAttribute).vr,
        InlineBinary: part.body.toString('base64'),
      };
    }
    const response = await post(target, Buffer.from(JSON.stringify([fresh])), 'application/dicom+json');
    expect(response.status).toBe(200);
    const before = await get(source, `${instanceUrl(ct)}/rendered`, 'image/png');
    const after = await get(target, `${instanceUrl(fresh)}/rendered`, 'image/png');
    expect(after.statusCode).toBe(200);
    expect(after.rawPayload.equals(before.rawPayload)).toBe(true);
  });

  it('takes the transfer syntax of a Pixel Data part from its media type alone (image/jls)', async () => {
    const jpegLs = stored[1] as DicomJsonDataset;
    const { metadata, parts } = await jsonStowParts(source, instanceUrl(jpegLs));
    const fresh: DicomJsonDataset = { ...metadata, '00080018': { vr: 'UI', Value: [newUid()] } };
    const relabelled = parts.map((part) =>
      part.contentLocation?.endsWith('/bulk/7FE00010') ? { ...part, contentType: 'image/jls' } : part,
    );
    const { body, contentType } = multipart([
      { contentType: 'application/dicom+json', body: Buffer.from(JSON.stringify([fresh])) },
      ...relabelled,
    ]);
    expect((await post(target, body, contentType)).status).toBe(200);
    const before = await get(source, `${instanceUrl(jpegLs)}/rendered`, 'image/png');
    const after = await get(target, `${instanceUrl(fresh)}/rendered`, 'image/png');
    expect(after.rawPayload.equals(before.rawPayload)).toBe(true);
    const frames = await get(target, `${instanceUrl(fresh)}/frames/1`, 'multipart/related; type="image/jls"');
    expect(frames.headers['content-type']).toContain('image/jls');
  });

  it('gives a failure item for a missing bulk data part, and stores the other data sets (202)', async () => {
    const ct = stored[0] as DicomJsonDataset;
    const { metadata, parts } = await jsonStowParts(source, instanceUrl(ct));
    const good = { ...metadata, '00080018': { vr: 'UI' as const, Value: [newUid()] } };
    const missing: DicomJsonDataset = { ...metadata, '00080018': { vr: 'UI', Value: [newUid()] } };
    missing['7FE00010'] = { vr: 'OW', BulkDataURI: 'http://localhost/not-sent' };
    const { body, contentType } = multipart([
      { contentType: 'application/dicom+json', body: Buffer.from(JSON.stringify([good, missing])) },
      ...parts,
    ]);
    const response = await post(target, body, contentType);
    expect(response.status).toBe(202);
    expect(failures(response.json)).toEqual([{ instance: value(missing, '00080018'), reason: 0xa900 }]);
    expect(response.json['00081199']?.Value).toHaveLength(1);
    expect((await get(target, `${instanceUrl(missing)}/metadata`)).statusCode).toBe(404);
  });

  it('gives a failure item for a data set without UIDs and for JSON that does not parse (409)', async () => {
    const noUids = await post(
      target,
      Buffer.from(JSON.stringify([{ '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] } }])),
      'application/dicom+json',
    );
    expect(noUids.status).toBe(409);
    expect(failures(noUids.json)).toEqual([{ instance: undefined, reason: 0xa900 }]);
    const broken = multipart([
      { contentType: 'application/dicom+json', body: Buffer.from('[{"00080018": ') },
    ]);
    const badJson = await post(target, broken.body, broken.contentType);
    expect(badJson.status).toBe(409);
    expect(failures(badJson.json)).toHaveLength(1);
    const notArray = await post(target, Buffer.from('{"00080018": {"vr": "UI"}}'), 'application/dicom+json');
    expect(notArray.status).toBe(409);
    const notDataset = await post(target, Buffer.from('[42]'), 'application/dicom+json');
    expect(notDataset.status).toBe(409);
    const uids = {
      '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
      '00080018': { vr: 'UI', Value: [newUid()] },
      '0020000D': { vr: 'UI', Value: [newUid()] },
      '0020000E': { vr: 'UI', Value: [newUid()] },
    };
    const nullAttribute = await post(
      target,
      Buffer.from(JSON.stringify([{ ...uids, '00100010': null }])),
      'application/dicom+json',
    );
    expect(nullAttribute.status).toBe(409);
    expect(failures(nullAttribute.json)).toEqual([{ instance: uids['00080018'].Value[0], reason: 0xa900 }]);
    // 20,000 nested sequences: deeper than the stack allows to walk.
    const deep = `${'{"00400275":{"vr":"SQ","Value":['.repeat(20_000)}{}${']}}'.repeat(20_000)}`;
    const deepBody = `[${JSON.stringify(uids).slice(0, -1)},"00400275":{"vr":"SQ","Value":[${deep}]}}]`;
    const nested = await post(target, Buffer.from(deepBody), 'application/dicom+json');
    expect(nested.status).toBe(409);
    expect((await get(target, '/healthz')).statusCode).toBe(200);
  });

  it('answers 400 for an empty array and 415 when the first part is not DICOM JSON', async () => {
    expect((await post(target, Buffer.from('[]'), 'application/dicom+json')).status).toBe(400);
    const wrongFirst = multipart([{ contentType: 'application/octet-stream', body: Buffer.from('xx') }]);
    expect((await post(target, wrongFirst.body, wrongFirst.contentType)).status).toBe(415);
  });

  it('keeps /studies/{study} honest: a JSON data set of another study fails', async () => {
    const ct = stored[0] as DicomJsonDataset;
    const { metadata, parts } = await jsonStowParts(source, instanceUrl(ct));
    const other = { ...metadata, '00080018': { vr: 'UI' as const, Value: [newUid()] } };
    const { body, contentType } = multipart([
      { contentType: 'application/dicom+json', body: Buffer.from(JSON.stringify([other])) },
      ...parts,
    ]);
    const response = await post(target, body, contentType, `/dicom-web/studies/${newUid()}`);
    expect(response.status).toBe(409);
    expect(failures(response.json)).toHaveLength(1);
  });
});
