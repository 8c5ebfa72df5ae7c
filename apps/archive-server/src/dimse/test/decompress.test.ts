import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BufferSource } from '../../part10/ByteSource.js';
import { readPart10 } from '../../part10/readPart10.js';
import {
  type TestServer,
  freePort,
  pydicomTestFiles,
  run,
  startTestServer,
  temporaryDirectory,
} from './harness.js';

/**
 * Compressed instances retrieved by peers that accept only uncompressed syntaxes: getscu (which
 * proposes only uncompressed syntaxes for storage unless told otherwise) and movescu to a storescp
 * that accepts Implicit VR Little Endian only (+xi). The received files' Pixel Data is compared
 * with DCMTK's own decompression of the originals (dcmdrle, dcmdjpls, dcmdjpeg).
 */
interface Case {
  name: string;
  /** storescu's option to send the file in its own syntax. */
  proposal: string;
  /** DCMTK's decoder of the original, or the uncompressed original (JPEG 2000: Debian's DCMTK has no codec). */
  reference: { tool: string; options?: string[] } | { original: string };
  /** Largest sample difference allowed (lossy JPEG: libjpeg-turbo's and DCMTK's IDCT differ by a little). */
  tolerance: number;
  photometric: string;
}

const cases: Case[] = [
  {
    name: 'MR_small_RLE.dcm',
    proposal: '-xr',
    reference: { tool: 'dcmdrle' },
    tolerance: 0,
    photometric: 'MONOCHROME2',
  },
  {
    name: 'SC_rgb_rle_2frame.dcm',
    proposal: '-xr',
    reference: { tool: 'dcmdrle' },
    tolerance: 0,
    photometric: 'RGB',
  },
  {
    name: 'MR_small_jpeg_ls_lossless.dcm',
    proposal: '-xt',
    reference: { tool: 'dcmdjpls' },
    tolerance: 0,
    photometric: 'MONOCHROME2',
  },
  {
    name: 'MR_small_jp2klossless.dcm',
    proposal: '-xv',
    reference: { original: 'MR_small.dcm' },
    tolerance: 0,
    photometric: 'MONOCHROME2',
  },
  {
    name: 'SC_rgb_jpeg_dcmtk.dcm',
    proposal: '-xy',
    reference: { tool: 'dcmdjpeg', options: ['+cp'] },
    tolerance: 2,
    photometric: 'RGB',
  },
];

function uid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replaceAll('-', '')}`).toString()}`;
}

function pixelsOf(bytes: Buffer): { pixels: Buffer; transferSyntaxUID: string; photometric: unknown } {
  const parsed = readPart10(new BufferSource(bytes));
  const location = parsed.pixelData;
  expect(location?.encapsulated).toBe(false);
  return {
    pixels: bytes.subarray(location?.offset, (location?.offset ?? 0) + (location?.length ?? 0)),
    transferSyntaxUID: parsed.transferSyntaxUID,
    photometric: parsed.dataset['00280004']?.Value?.[0],
  };
}

function maxDifference(actual: Buffer, expected: Buffer): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++)
    max = Math.max(max, Math.abs((actual[i] as number) - (expected[i] as number)));
  return max;
}

describe('C-GET / C-MOVE of compressed instances to peers without their codec', { timeout: 120_000 }, () => {
  let server: TestServer;
  let storescp: ChildProcess;
  let work: { path: string; remove(): Promise<void> };
  let storescpDirectory: { path: string; remove(): Promise<void> };
  const stored: Array<Case & { sopInstanceUID: string; studyInstanceUID: string; referencePixels: Buffer }> =
    [];

  beforeAll(async () => {
    const storescpPort = await freePort();
    server = await startTestServer({
      aeTable: [{ aeTitle: 'IMPLICIT', host: '127.0.0.1', port: storescpPort }],
    });
    work = await temporaryDirectory();
    storescpDirectory = await temporaryDirectory();
    // storescp binds every interface: this file runs in the loopback-only namespace (loopback.sh).
    storescp = spawn(
      'storescp',
      ['+xi', '-aet', 'IMPLICIT', '-od', storescpDirectory.path, String(storescpPort)],
      {
        env: { ...process.env, TCP_NODELAY: '1' },
        stdio: 'ignore',
      },
    );
    for (const testCase of cases) {
      // Fresh UIDs: the MR_small variants share one SOP Instance UID.
      const copy = join(work.path, testCase.name);
      await copyFile(join(pydicomTestFiles, testCase.name), copy);
      const sopInstanceUID = uid();
      const studyInstanceUID = uid();
      await run('dcmodify', [
        '-nb',
        '-m',
        `(0020,000d)=${studyInstanceUID}`,
        '-m',
        `(0020,000e)=${uid()}`,
        '-m',
        `(0008,0018)=${sopInstanceUID}`,
        copy,
      ]);
      const stores = await run('storescu', [
        testCase.proposal,
        '-aec',
        server.aeTitle,
        '127.0.0.1',
        String(server.port),
        copy,
      ]);
      expect(stores.code, stores.stderr).toBe(0);
      let reference: Buffer;
      if ('tool' in testCase.reference) {
        const decoded = join(work.path, `reference-${testCase.name}`);
        const result = await run(testCase.reference.tool, [
          ...(testCase.reference.options ?? []),
          copy,
          decoded,
        ]);
        expect(result.code, result.stderr).toBe(0);
        reference = pixelsOf(await readFile(decoded)).pixels;
      } else {
        reference = pixelsOf(await readFile(join(pydicomTestFiles, testCase.reference.original))).pixels;
      }
      stored.push({ ...testCase, sopInstanceUID, studyInstanceUID, referencePixels: reference });
    }
  }, 120_000);

  afterAll(async () => {
    storescp.kill();
    await server.close();
    await work.remove();
    await storescpDirectory.remove();
  });

  test('getscu (uncompressed syntaxes only, Explicit VR Little Endian preferred) gets decompressed pixels', async () => {
    const out = await temporaryDirectory();
    try {
      for (const instance of stored) {
        const result = await run('getscu', [
          '+xe',
          '-aec',
          server.aeTitle,
          '-od',
          out.path,
          '-k',
          'QueryRetrieveLevel=STUDY',
          '-k',
          `StudyInstanceUID=${instance.studyInstanceUID}`,
          '127.0.0.1',
          String(server.port),
        ]);
        expect(result.code, `${instance.name}: ${result.stderr}`).toBe(0);
        const name = (await readdir(out.path)).find((file) => file.endsWith(instance.sopInstanceUID));
        expect(name, `${instance.name}: ${result.stderr.slice(-500)}`).toBeDefined();
        const received = pixelsOf(await readFile(join(out.path, name as string)));
        expect(received.transferSyntaxUID, instance.name).toBe('1.2.840.10008.1.2.1');
        expect(received.photometric, instance.name).toBe(instance.photometric);
        expect(maxDifference(received.pixels, instance.referencePixels), instance.name).toBeLessThanOrEqual(
          instance.tolerance,
        );
        expect(new Set(received.pixels).size, instance.name).toBeGreaterThan(4);
      }
    } finally {
      await out.remove();
    }
  });

  test('movescu to a storescp that accepts Implicit VR Little Endian only (+xi): decompressed pixels arrive', async () => {
    for (const instance of stored) {
      const result = await run('movescu', [
        '-aec',
        server.aeTitle,
        '-aem',
        'IMPLICIT',
        '-k',
        'QueryRetrieveLevel=STUDY',
        '-k',
        `StudyInstanceUID=${instance.studyInstanceUID}`,
        '127.0.0.1',
        String(server.port),
      ]);
      expect(result.code, `${instance.name}: ${result.stderr}`).toBe(0);
      const name = (await readdir(storescpDirectory.path)).find((file) =>
        file.endsWith(instance.sopInstanceUID),
      );
      expect(name, `${instance.name}: ${result.stderr.slice(-500)}`).toBeDefined();
      const dump = await run('dcmdump', [
        '-q',
        '+P',
        '0002,0010',
        join(storescpDirectory.path, name as string),
      ]);
      expect(dump.stdout, instance.name).toContain('=LittleEndianImplicit');
      const received = pixelsOf(await readFile(join(storescpDirectory.path, name as string)));
      expect(maxDifference(received.pixels, instance.referencePixels), instance.name).toBeLessThanOrEqual(
        instance.tolerance,
      );
    }
  });
});
