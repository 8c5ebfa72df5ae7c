import { isPacsError } from '@pacskit/dicom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDicomwebAdapter } from './createDicomwebAdapter.js';

const contentTypes = [
  'application/dicom+json',
  'application/json',
  'text/html',
  'text/plain',
  'multipart/related; type="application/dicom"; boundary=b',
  'application/dicom',
  'image/jpeg',
  '',
];

const answers = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 202, 204, 400, 401, 403, 404, 406, 409, 415, 429, 500, 502, 503, 504),
    fc.integer({ min: 200, max: 599 }),
  ),
  contentType: fc.constantFrom(...contentTypes),
  body: fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.string({ maxLength: 64 }).map((text) => new TextEncoder().encode(text)),
  ),
});

function adapterAnswering(answer: { status: number; contentType: string; body: Uint8Array }) {
  return createDicomwebAdapter({
    baseUrl: 'https://pacs.test/dicom-web',
    id: 'prop',
    fetch: async () =>
      new Response([101, 103, 204, 205, 304].includes(answer.status) ? null : (answer.body as BodyInit), {
        status: answer.status,
        headers: answer.contentType ? { 'Content-Type': answer.contentType } : {},
      }),
  });
}

describe('any server answer', () => {
  it('gives a search result or a PacsError carrying the status — never another error, never an unexplained empty list', async () => {
    await fc.assert(
      fc.asyncProperty(answers, async (answer) => {
        try {
          const result = await adapterAnswering(answer).searchForStudies();
          expect(answer.status).toBeGreaterThanOrEqual(200);
          expect(answer.status).toBeLessThan(300);
          if (result.items.length === 0) {
            // Empty only for 204 or a body that really is an empty JSON array.
            const text = new TextDecoder().decode(answer.body).trim();
            expect(answer.status === 204 || text === '[]').toBe(true);
          }
        } catch (error) {
          expect(isPacsError(error)).toBe(true);
          expect((error as { source?: string }).source).toBe('prop');
          if (answer.status >= 300) expect((error as { httpStatus?: number }).httpStatus).toBe(answer.status);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never takes random bytes for a DICOM file: always a PacsError', async () => {
    await fc.assert(
      fc.asyncProperty(answers, async (answer) => {
        try {
          await adapterAnswering(answer).retrieveInstance({
            studyInstanceUID: '1',
            seriesInstanceUID: '2',
            sopInstanceUID: '3',
          });
          throw new Error('random bytes were accepted as a DICOM file');
        } catch (error) {
          expect(isPacsError(error)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
