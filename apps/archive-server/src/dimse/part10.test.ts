import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { peekSopUIDs } from './datasetPeek.js';
import { encodeDataset } from './encodeDataset.js';
import { splitPart10, writeFileMetaInformation } from './part10.js';

const uid = fc
  .array(fc.integer({ min: 0, max: 99999 }), { minLength: 2, maxLength: 12 })
  .map((parts) => parts.join('.'))
  .filter((value) => value.length <= 64);
const syntax = fc.constantFrom('1.2.840.10008.1.2', '1.2.840.10008.1.2.1');

function chunked(bytes: Buffer, sizes: number[]): Readable {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const size of sizes) {
    if (offset >= bytes.length) break;
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  if (offset < bytes.length) chunks.push(bytes.subarray(offset));
  return Readable.from(chunks);
}

describe('Part 10 framing and the SOP UID peek (property tests)', () => {
  test('splitPart10 reads back what writeFileMetaInformation wrote, with the data set bytes untouched, however chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        uid,
        uid,
        syntax,
        fc.option(fc.stringMatching(/^[A-Z0-9_]{1,16}$/), { nil: undefined }),
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 30 }),
        async (sopClassUID, sopInstanceUID, transferSyntaxUID, aeTitle, body, sizes) => {
          const meta = writeFileMetaInformation({
            mediaStorageSOPClassUID: sopClassUID,
            mediaStorageSOPInstanceUID: sopInstanceUID,
            transferSyntaxUID,
            ...(aeTitle ? { sourceApplicationEntityTitle: aeTitle } : {}),
          });
          // A data set starts with a group above 0002 (here 0008).
          const dataset = Buffer.concat([Buffer.from([0x08, 0x00, 0x05, 0x00]), Buffer.from(body)]);
          const split = await splitPart10(chunked(Buffer.concat([meta, dataset]), sizes));
          expect(split.meta.mediaStorageSOPClassUID).toBe(sopClassUID);
          expect(split.meta.mediaStorageSOPInstanceUID).toBe(sopInstanceUID);
          expect(split.meta.transferSyntaxUID).toBe(transferSyntaxUID);
          expect(split.meta.sourceApplicationEntityTitle).toBe(aeTitle);
          const chunks: Buffer[] = [];
          for await (const chunk of split.dataset) chunks.push(chunk as Buffer);
          expect(Buffer.concat(chunks).equals(dataset)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('peekSopUIDs finds SOP Class/Instance UIDs in an encoded data set, and asks for more on any prefix', () => {
    fc.assert(
      fc.property(
        uid,
        uid,
        syntax,
        fc.string({ maxLength: 40 }),
        (sopClassUID, sopInstanceUID, transferSyntaxUID, name) => {
          const bytes = encodeDataset(
            {
              '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
              '00080008': { vr: 'CS', Value: ['ORIGINAL', 'PRIMARY'] },
              '00080016': { vr: 'UI', Value: [sopClassUID] },
              '00080018': { vr: 'UI', Value: [sopInstanceUID] },
              '00100010': { vr: 'PN', Value: [{ Alphabetic: name }] },
            },
            transferSyntaxUID,
          );
          expect(peekSopUIDs(bytes, transferSyntaxUID)).toEqual({
            kind: 'found',
            sopClassUID,
            sopInstanceUID,
          });
          const end = bytes.indexOf(
            Buffer.from(sopInstanceUID.length % 2 === 0 ? sopInstanceUID : `${sopInstanceUID}\0`),
          );
          for (const cut of [0, 3, 8, Math.max(0, end - 1)]) {
            expect(peekSopUIDs(bytes.subarray(0, cut), transferSyntaxUID).kind).toBe('more');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
