import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstance, newUid, stowBody } from '../src/testing/generateInstance.js';
import { auth, multipartParts, startArchive, value } from './helpers.js';

/**
 * Every bad-input case of issue 3 gets its own test: a specific 4xx or STOW failure item, a log
 * line without patient data, and the server still serving what it had stored.
 */
type Started = Awaited<ReturnType<typeof startArchive>>;
let started: Started;
const logLines: string[] = [];
const patientName = 'Secretname^Patient';
const patientID = 'SECRET-ID-42';
const studyUID = newUid();
const seriesUID = newUid();
const keptUID = newUid();
const kept = generateInstance({
  studyInstanceUID: studyUID,
  seriesInstanceUID: seriesUID,
  sopInstanceUID: keptUID,
  patientName,
  patientID,
});

function fresh(overrides: Partial<Parameters<typeof generateInstance>[0]> = {}): Buffer {
  return generateInstance({
    studyInstanceUID: studyUID,
    seriesInstanceUID: seriesUID,
    sopInstanceUID: newUid(),
    patientName,
    patientID,
    ...overrides,
  });
}

/** Offset of an element header (explicit VR LE) in a generated file. */
function elementOffset(file: Buffer, tag: string): number {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt16LE(Number.parseInt(tag.slice(0, 4), 16), 0);
  bytes.writeUInt16LE(Number.parseInt(tag.slice(4), 16), 2);
  const at = file.indexOf(bytes, 132);
  if (at < 0) throw new Error(`no ${tag}`);
  return at;
}

async function post(payload: Buffer, contentType: string | undefined, url = '/dicom-web/studies') {
  const response = await started.archive.app.inject({
    method: 'POST',
    url,
    headers: { authorization: auth, ...(contentType !== undefined ? { 'content-type': contentType } : {}) },
    payload,
  });
  return response;
}

async function stowOne(file: Buffer) {
  const { body, contentType } = stowBody([file]);
  const response = await post(body, contentType);
  const json = response.json() as DicomJsonDataset;
  const failed = json['00081198']?.Value?.[0] as DicomJsonDataset | undefined;
  return { status: response.statusCode, reason: value(failed, '00081197'), json };
}

function lastLog(): Record<string, unknown> {
  const line = logLines.filter((l) => l.includes('"level":40')).at(-1);
  return line ? (JSON.parse(line) as Record<string, unknown>) : {};
}

beforeAll(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) =>
    logLines.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((l) => l !== ''),
    ),
  );
  started = await startArchive({ logLevel: 'info' }, { logStream: stream });
  expect((await stowOne(kept)).status).toBe(200);
});

afterAll(async () => {
  // The server is still up and what it stored is intact, byte for byte.
  const health = await started.archive.app.inject({ url: '/healthz' });
  expect(health.statusCode).toBe(200);
  const response = await started.archive.app.inject({
    url: `/dicom-web/studies/${studyUID}/series/${seriesUID}/instances/${keptUID}`,
    headers: { authorization: auth },
  });
  const [part] = multipartParts(response.rawPayload, response.headers['content-type'] as string);
  expect(part?.body.equals(kept)).toBe(true);
  // No patient data in any log line.
  const all = logLines.join('\n');
  expect(all).not.toContain(patientName);
  expect(all).not.toContain('Secretname');
  expect(all).not.toContain(patientID);
  await started.cleanup();
});

describe('STOW-RS bad bodies', () => {
  it('garbage bytes in a part: 409 with FailureReason 0xC000 and a DICOM_PARSE_ERROR log line', async () => {
    const result = await stowOne(randomBytes(2000));
    expect(result.status).toBe(409);
    expect(result.reason).toBe(0xc000);
    expect(lastLog().code).toBe('DICOM_PARSE_ERROR');
  });

  it('garbage body that is not multipart at all: 400', async () => {
    const response = await post(
      randomBytes(500),
      'multipart/related; type="application/dicom"; boundary=abc',
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_ARGUMENT');
  });

  it('an empty body: 400', async () => {
    const response = await post(Buffer.alloc(0), 'multipart/related; type="application/dicom"; boundary=abc');
    expect(response.statusCode).toBe(400);
  });

  it('a truncated file (cut inside the data set): failure 0xC000', async () => {
    const file = fresh();
    const result = await stowOne(file.subarray(0, elementOffset(file, '00100020') + 5));
    expect(result.status).toBe(409);
    expect(result.reason).toBe(0xc000);
  });

  it('a truncated multipart body (no closing boundary) after a good part: 202, the good part stored', async () => {
    const good = fresh();
    const { body, contentType } = stowBody([good, fresh()]);
    const response = await post(body.subarray(0, body.length - 600), contentType);
    expect(response.statusCode).toBe(202);
    const json = response.json() as DicomJsonDataset;
    expect(json['00081199']?.Value).toHaveLength(1);
    expect(json['00081198']?.Value).toHaveLength(1);
  });

  it('an element length that lies (longer than the file): failure 0xC000', async () => {
    const file = Buffer.from(fresh());
    file.writeUInt16LE(0xfff0, elementOffset(file, '00100020') + 6);
    const result = await stowOne(file);
    expect(result.reason).toBe(0xc000);
  });

  it('a huge tag length (Pixel Data of 4 GB): failure 0xC000 without allocating it', async () => {
    const file = Buffer.from(fresh());
    file.writeUInt32LE(0xfffffff0, elementOffset(file, '7FE00010') + 8);
    const result = await stowOne(file);
    expect(result.reason).toBe(0xc000);
  });

  it('undefined length on a non-sequence element: failure 0xC000', async () => {
    const file = Buffer.from(fresh());
    const at = elementOffset(file, '7FE00010');
    // Turn the OW pixel data into an undefined-length OB that is not encapsulated.
    file.writeUInt32LE(0xffffffff, at + 8);
    const result = await stowOne(file);
    expect(result.reason).toBe(0xc000);
  });

  it('an unknown transfer syntax: failure 0xC122', async () => {
    const file = Buffer.from(fresh());
    const at = file.indexOf('1.2.840.10008.1.2.1\0');
    file.write('1.2.999.1.2.3.4.5.6\0', at, 'latin1');
    const result = await stowOne(file);
    expect(result.reason).toBe(0xc122);
    expect(lastLog().code).toBe('UNSUPPORTED_TRANSFER_SYNTAX');
  });

  it('no Transfer Syntax UID in the meta information: failure 0xC000', async () => {
    const file = Buffer.from(fresh());
    const at = elementOffset(file, '00020010');
    file.writeUInt16LE(0x0011, at + 2); // renumber (0002,0010) so it is missing
    const result = await stowOne(file);
    expect(result.reason).toBe(0xc000);
  });

  it('an invalid SOP Instance UID: failure 0xA900 (INVALID_UID)', async () => {
    const result = await stowOne(fresh({ sopInstanceUID: '1.2.03.4' }));
    expect(result.reason).toBe(0xa900);
    expect(lastLog().code).toBe('INVALID_UID');
  });

  it('a missing Series Instance UID: failure 0xA900 (MISSING_ATTRIBUTE)', async () => {
    const result = await stowOne(fresh({ omit: ['0020000E'] }));
    expect(result.reason).toBe(0xa900);
    expect(lastLog().code).toBe('MISSING_ATTRIBUTE');
  });

  it('a part that is not application/dicom: failure item, other parts still stored', async () => {
    const boundary = 'b0undary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom+json\r\n\r\n[]\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
      fresh(),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await post(body, `multipart/related; boundary=${boundary}`);
    expect(response.statusCode).toBe(202);
  });

  it('a pixel module inconsistent with Pixel Data: stored with a warning (202, WarningReason)', async () => {
    const file = Buffer.from(fresh());
    file.writeUInt16LE(64, elementOffset(file, '00280010') + 8); // Rows 16 → 64: too few pixel bytes
    const result = await stowOne(file);
    expect(result.status).toBe(202);
    const item = result.json['00081199']?.Value?.[0] as DicomJsonDataset;
    expect(value(item, '00081196')).toBe(0xb007);
  });
});

describe('STOW-RS bad headers and URLs', () => {
  it('missing Content-Type: 415', async () => {
    const response = await post(Buffer.from('x'), undefined);
    expect(response.statusCode).toBe(415);
  });

  it('a Content-Type that is not multipart/related: 415', async () => {
    const response = await post(kept, 'application/dicom');
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('multipart/related without a boundary: 415', async () => {
    const response = await post(stowBody([fresh()]).body, 'multipart/related; type="application/dicom"');
    expect(response.statusCode).toBe(415);
  });

  it('a type other than application/dicom: 415', async () => {
    const { body } = stowBody([fresh()]);
    const response = await post(
      body,
      'multipart/related; type="application/dicom+xml"; boundary=pacskit-test-boundary',
    );
    expect(response.statusCode).toBe(415);
  });

  it('the wrong boundary: 400', async () => {
    const { body } = stowBody([fresh()]);
    const response = await post(body, 'multipart/related; type="application/dicom"; boundary=not-the-one');
    expect(response.statusCode).toBe(400);
  });

  it('an invalid study UID in the URL: 400 INVALID_UID', async () => {
    const { body, contentType } = stowBody([fresh()]);
    const response = await post(body, contentType, '/dicom-web/studies/1.2.x');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_UID');
  });

  it('an instance of another study than the URL: 409 with 0xA900', async () => {
    const { body, contentType } = stowBody([fresh()]);
    const response = await post(body, contentType, `/dicom-web/studies/${newUid()}`);
    expect(response.statusCode).toBe(409);
  });
});

describe('duplicate policies', () => {
  it('reject: 409 with FailureReason 0x0111', async () => {
    const dataDirArchive = await startArchive({ duplicatePolicy: 'reject' });
    try {
      const { body, contentType } = stowBody([kept]);
      const inject = () =>
        dataDirArchive.archive.app.inject({
          method: 'POST',
          url: '/dicom-web/studies',
          headers: { authorization: auth, 'content-type': contentType },
          payload: body,
        });
      expect((await inject()).statusCode).toBe(200);
      const second = await inject();
      expect(second.statusCode).toBe(409);
      const item = (second.json() as DicomJsonDataset)['00081198']?.Value?.[0] as DicomJsonDataset;
      expect(value(item, '00081197')).toBe(0x0111);
    } finally {
      await dataDirArchive.cleanup();
    }
  });

  it('overwrite: 200 and the new bytes are served, the old blob removed', async () => {
    const other = await startArchive({ duplicatePolicy: 'overwrite' });
    try {
      const sop = newUid();
      const first = generateInstance({
        studyInstanceUID: studyUID,
        seriesInstanceUID: seriesUID,
        sopInstanceUID: sop,
      });
      const second = generateInstance({
        studyInstanceUID: studyUID,
        seriesInstanceUID: seriesUID,
        sopInstanceUID: sop,
        extra: [['00091010', 'LO', 'second copy']],
      });
      for (const file of [first, second]) {
        const { body, contentType } = stowBody([file]);
        const response = await other.archive.app.inject({
          method: 'POST',
          url: '/dicom-web/studies',
          headers: { authorization: auth, 'content-type': contentType },
          payload: body,
        });
        expect(response.statusCode).toBe(200);
      }
      const response = await other.archive.app.inject({
        url: `/dicom-web/studies/${studyUID}/series/${seriesUID}/instances/${sop}`,
        headers: { authorization: auth },
      });
      const [part] = multipartParts(response.rawPayload, response.headers['content-type'] as string);
      expect(part?.body.equals(second)).toBe(true);
      const ready = await other.archive.app.inject({ url: '/readyz' });
      expect(ready.json().instances).toBe(1);
    } finally {
      await other.cleanup();
    }
  });
});
