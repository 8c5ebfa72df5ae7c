import { PacsError, isPacsError } from '@pacskit/dicom';
import { describe, expect, it, vi } from 'vitest';
import { encodeMultipartRelated } from '../../multipart/encodeMultipartRelated.js';
import type { FetchLike } from '../../runtime.js';
import { createDicomwebAdapter } from './createDicomwebAdapter.js';

const study = {
  '0020000D': { vr: 'UI', Value: ['1.2.3'] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
  '00080061': { vr: 'CS', Value: ['CT', 'MR'] },
  '00201208': { vr: 'IS', Value: ['7'] },
};

function answer(status: number, body: string | Uint8Array, contentType?: string): Response {
  return new Response(body as BodyInit, {
    status,
    headers: contentType === undefined ? {} : { 'Content-Type': contentType },
  });
}

function adapterWith(fetch: FetchLike, extra: Partial<Parameters<typeof createDicomwebAdapter>[0]> = {}) {
  return createDicomwebAdapter({ baseUrl: 'https://pacs.test/dicom-web/', id: 'test-pacs', fetch, ...extra });
}

async function failure(promise: Promise<unknown>): Promise<PacsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PacsError) return error;
    throw new Error(`expected a PacsError, got ${String(error)}`);
  }
  throw new Error('expected a failure');
}

describe('createDicomwebAdapter', () => {
  it('searches studies with QIDO-RS keys and builds the typed view', async () => {
    const fetch = vi.fn<FetchLike>(async () =>
      answer(200, JSON.stringify([study]), 'application/dicom+json'),
    );
    const adapter = adapterWith(fetch);
    const result = await adapter.searchForStudies({
      query: { PatientID: 'P1', StudyDate: '20240101-' },
      includeField: ['00081030', 'StudyID'],
      limit: 5,
      offset: 10,
      fuzzyMatching: true,
    });
    const url = new URL(fetch.mock.calls[0]![0]);
    expect(url.pathname).toBe('/dicom-web/studies');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      PatientID: 'P1',
      StudyDate: '20240101-',
      includefield: '00081030,StudyID',
      fuzzymatching: 'true',
      limit: '5',
      offset: '10',
    });
    expect(result.errors).toEqual([]);
    expect(result.items[0]).toMatchObject({
      StudyInstanceUID: '1.2.3',
      PatientName: 'Doe^Jane',
      ModalitiesInStudy: ['CT', 'MR'],
      NumberOfStudyRelatedInstances: 7,
      sources: ['test-pacs'],
    });
  });

  it('treats 204 No Content as an empty search, not an error', async () => {
    const adapter = adapterWith(async () => new Response(null, { status: 204 }));
    expect((await adapter.searchForStudies()).items).toEqual([]);
  });

  it('applies the vendor normalisation hook to every data set', async () => {
    const adapter = adapterWith(async () => answer(200, JSON.stringify([study]), 'application/dicom+json'), {
      normalize: (dataset, context) => ({
        ...dataset,
        '00081030': { vr: 'LO', Value: [`from ${context.level}`] },
      }),
    });
    expect((await adapter.searchForStudies()).items[0]!.StudyDescription).toBe('from study');
  });

  it.each([
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [500, 'HTTP_ERROR'],
    [502, 'UNAVAILABLE'],
    [503, 'UNAVAILABLE'],
    [504, 'TIMEOUT'],
  ])('maps HTTP %i to %s with the source and status', async (status, code) => {
    const adapter = adapterWith(async () => answer(status, '<html><body>error</body></html>', 'text/html'));
    const error = await failure(adapter.retrieveStudyMetadata({ studyInstanceUID: '1.2.3' }));
    expect(error).toMatchObject({ code, source: 'test-pacs', httpStatus: status });
  });

  it('reports malformed JSON, an HTML page with status 200 and a non-array as BAD_RESPONSE', async () => {
    for (const [body, type] of [
      ['[{"0020000D": {"vr": "UI", "Value": ["1.2', 'application/dicom+json'],
      ['<!DOCTYPE html><html>Login</html>', 'text/html'],
      ['{"0020000D": {"vr": "UI"}}', 'application/dicom+json'],
      ['[{"StudyInstanceUID": "1.2.3"}]', 'application/json'],
    ] as const) {
      const adapter = adapterWith(async () => answer(200, body, type));
      const error = await failure(adapter.searchForStudies());
      expect(error).toMatchObject({ code: 'BAD_RESPONSE', source: 'test-pacs', httpStatus: 200 });
    }
  });

  it('reports malformed multipart and a JSON page instead of an instance as BAD_RESPONSE', async () => {
    const request = { studyInstanceUID: '1', seriesInstanceUID: '2', sopInstanceUID: '3' };
    const truncated = adapterWith(async () =>
      answer(200, '--B\r\nContent-Type: application/dicom\r\n\r\nDICM', 'multipart/related; boundary=B'),
    );
    expect(await failure(truncated.retrieveInstance(request))).toMatchObject({
      code: 'BAD_RESPONSE',
      httpStatus: 200,
    });
    const json = adapterWith(async () => answer(200, '{}', 'application/json'));
    expect((await failure(json.retrieveInstance(request))).code).toBe('BAD_RESPONSE');
    const twoFrames = encodeMultipartRelated([new Uint8Array([1])], 'application/octet-stream', 'B');
    const short = adapterWith(async () => answer(200, twoFrames.body, twoFrames.contentType));
    expect((await failure(short.retrieveInstanceFrames({ ...request, frameNumbers: [1, 2] }))).code).toBe(
      'BAD_RESPONSE',
    );
  });

  it('accepts a single-part application/dicom answer for an instance (dicomweb-client#47)', async () => {
    const bytes = new Uint8Array(140);
    bytes.set(new TextEncoder().encode('DICM'), 128);
    const request = { studyInstanceUID: '1', seriesInstanceUID: '2', sopInstanceUID: '3' };
    const adapter = adapterWith(async () => answer(200, bytes, 'application/dicom'));
    expect([...(await adapter.retrieveInstance(request))]).toEqual([...bytes]);
    const notDicom = adapterWith(async () => answer(200, new Uint8Array([1, 2, 3, 4]), 'application/dicom'));
    expect((await failure(notDicom.retrieveInstance(request))).code).toBe('BAD_RESPONSE');
  });

  it('turns a refused connection into NETWORK_ERROR', async () => {
    const adapter = adapterWith(async () => {
      throw new TypeError('fetch failed');
    });
    expect(await failure(adapter.echo())).toMatchObject({ code: 'NETWORK_ERROR', source: 'test-pacs' });
  });

  it('times out a source that hangs, even when its fetch ignores the abort signal', async () => {
    const adapter = adapterWith(() => new Promise<Response>(() => {}), { timeoutMs: 20 });
    expect(await failure(adapter.searchForStudies())).toMatchObject({ code: 'TIMEOUT', source: 'test-pacs' });
  });

  it('times out a body that never ends', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new Uint8Array([91])),
    });
    const adapter = adapterWith(
      async () => answer(200, stream as unknown as Uint8Array, 'application/dicom+json'),
      {
        timeoutMs: 20,
      },
    );
    expect((await failure(adapter.searchForStudies())).code).toBe('TIMEOUT');
  });

  it('stops with ABORTED when the caller aborts', async () => {
    const adapter = adapterWith(() => new Promise<Response>(() => {}));
    const controller = new AbortController();
    const pending = adapter.searchForStudies({ signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).code).toBe('ABORTED');
    const already = await failure(adapter.searchForStudies({ signal: AbortSignal.abort() }));
    expect(already.code).toBe('ABORTED');
  });

  it('fails unsupported operations with NOT_SUPPORTED without a request', async () => {
    const fetch = vi.fn<FetchLike>();
    const adapter = adapterWith(fetch);
    expect((await failure(adapter.deleteStudy({ studyInstanceUID: '1' }))).code).toBe('NOT_SUPPORTED');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('reads a STOW-RS 409 answer as per-instance failures', async () => {
    const body = {
      '00081198': {
        vr: 'SQ',
        Value: [{ '00081155': { vr: 'UI', Value: ['9.9'] }, '00081197': { vr: 'US', Value: [0xa900] } }],
      },
    };
    const adapter = adapterWith(async () => answer(409, JSON.stringify(body), 'application/dicom+json'));
    const result = await adapter.storeInstances({ instances: [new Uint8Array([1])] });
    expect(result.failed).toEqual([{ sopInstanceUID: '9.9', failureReason: 0xa900 }]);
    expect(result.stored).toEqual([]);
  });

  it('sends STOW-RS with a quoted type and boundary (dicomweb-client#30)', async () => {
    const fetch = vi.fn<FetchLike>(async () => answer(200, '{}', 'application/dicom+json'));
    await adapterWith(fetch).storeInstances({ instances: [new Uint8Array([1])] });
    const headers = fetch.mock.calls[0]![1]!.headers as Record<string, string>;
    expect(headers['Content-Type']).toMatch(
      /^multipart\/related; type="application\/dicom"; boundary="[^"]+"$/,
    );
  });
});

describe('auth', () => {
  it('sends Basic, API key and custom headers', async () => {
    const seen: Record<string, string>[] = [];
    const fetch: FetchLike = async (_url, init) => {
      seen.push(init!.headers as Record<string, string>);
      return answer(200, '[]', 'application/dicom+json');
    };
    await adapterWith(fetch, { auth: { type: 'basic', username: 'ana', password: 'pä:ss' } }).echo();
    await adapterWith(fetch, { auth: { type: 'apiKey', key: 'k1', header: 'X-Key' } }).echo();
    await adapterWith(fetch, { auth: { type: 'headers', headers: { 'X-Tenant': 't' } } }).echo();
    expect(seen[0]!.Authorization).toBe(`Basic ${Buffer.from('ana:pä:ss').toString('base64')}`);
    expect(seen[1]!['X-Key']).toBe('k1');
    expect(seen[2]!['X-Tenant']).toBe('t');
  });

  it('refreshes a bearer token before it expires and after a 401', async () => {
    let now = 0;
    let issued = 0;
    const getToken = vi.fn(async () => ({ token: `t${++issued}`, expiresAt: now + 60_000 }));
    const tokens: string[] = [];
    let rejectNext = false;
    const fetch: FetchLike = async (_url, init) => {
      const token = (init!.headers as Record<string, string>).Authorization!;
      tokens.push(token);
      if (rejectNext) {
        rejectNext = false;
        return answer(401, '');
      }
      return answer(200, '[]', 'application/dicom+json');
    };
    const adapter = adapterWith(fetch, {
      auth: { type: 'bearer', getToken, refreshMarginMs: 10_000 },
      clock: { now: () => now },
    });
    await adapter.echo();
    await adapter.echo();
    now = 55_000; // within the refresh margin of the first token
    await adapter.echo();
    rejectNext = true;
    await adapter.echo();
    expect(tokens).toEqual(['Bearer t1', 'Bearer t1', 'Bearer t2', 'Bearer t2', 'Bearer t3']);
  });

  it('reports a failing token provider as UNAUTHENTICATED', async () => {
    const adapter = adapterWith(async () => answer(200, '[]', 'application/dicom+json'), {
      auth: {
        type: 'bearer',
        getToken: async () => {
          throw new Error('idp down');
        },
      },
    });
    const error = await failure(adapter.echo());
    expect(isPacsError(error, 'UNAUTHENTICATED')).toBe(true);
  });
});
