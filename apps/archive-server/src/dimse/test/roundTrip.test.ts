import { readFile, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type TestServer,
  dumpDataset,
  freePort,
  pydicomTestFiles,
  run,
  startTestServer,
  temporaryDirectory,
} from './harness.js';
import type { MemoryDimseServices } from './memoryDimseServices.js';

const require = createRequire(import.meta.url);
const dcmjs = require('dcmjs') as {
  data: {
    DicomMessage: {
      readFile(
        buffer: ArrayBuffer,
        options?: Record<string, unknown>,
      ): {
        dict: Record<string, { Value?: unknown[] }>;
        meta: Record<string, { Value?: unknown[] }>;
      };
    };
  };
};

/**
 * storescu's option to propose a file's transfer syntax first (DCMTK otherwise converts it to
 * one of its defaults before sending), and getscu's to accept it.
 */
const storescuProposal: Record<string, string[]> = {
  '1.2.840.10008.1.2': ['-xi'],
  '1.2.840.10008.1.2.1': ['-xe'],
  '1.2.840.10008.1.2.2': ['-xb'],
  '1.2.840.10008.1.2.1.99': ['-xd'],
  '1.2.840.10008.1.2.4.50': ['-xy'],
  '1.2.840.10008.1.2.4.51': ['-xx'],
  '1.2.840.10008.1.2.4.57': ['-xs'],
  '1.2.840.10008.1.2.4.70': ['-xs'],
  '1.2.840.10008.1.2.4.80': ['-xt'],
  '1.2.840.10008.1.2.4.81': ['-xu'],
  '1.2.840.10008.1.2.4.90': ['-xv'],
  '1.2.840.10008.1.2.4.91': ['-xw'],
  '1.2.840.10008.1.2.5': ['-xr'],
};
const getscuPreference: Record<string, string[]> = {
  '1.2.840.10008.1.2': ['+xi'],
  '1.2.840.10008.1.2.1': ['+xe'],
  '1.2.840.10008.1.2.2': ['+xb'],
  '1.2.840.10008.1.2.1.99': ['+xd'],
  '1.2.840.10008.1.2.4.50': ['+xy'],
  '1.2.840.10008.1.2.4.51': ['+xx'],
  '1.2.840.10008.1.2.4.57': ['+xs'],
  '1.2.840.10008.1.2.4.70': ['+xs'],
  '1.2.840.10008.1.2.4.80': ['+xt'],
  '1.2.840.10008.1.2.4.81': ['+xu'],
  '1.2.840.10008.1.2.4.90': ['+xv'],
  '1.2.840.10008.1.2.4.91': ['+xw'],
  '1.2.840.10008.1.2.5': ['+xr'],
};

interface Original {
  path: string;
  sopInstanceUID: string;
  transferSyntaxUID: string;
}

describe('C-STORE then C-GET / C-MOVE of pydicom test files, bytes unchanged', { timeout: 60_000 }, () => {
  let server: TestServer;
  let services: MemoryDimseServices;
  const originals = new Map<string, Original>();
  let storeResult: { code: number; stderr: string };
  let storescp: ChildProcess;
  let storescpDirectory: { path: string; remove(): Promise<void> };

  beforeAll(async () => {
    const storescpPort = await freePort();
    server = await startTestServer({
      aeTable: [{ aeTitle: 'STORESCP', host: '127.0.0.1', port: storescpPort }],
    });
    storescpDirectory = await temporaryDirectory();
    // storescp binds every interface: this file runs in the loopback-only namespace (loopback.sh).
    storescp = spawn(
      'storescp',
      ['+xa', '-aet', 'STORESCP', '-od', storescpDirectory.path, String(storescpPort)],
      {
        env: { ...process.env, TCP_NODELAY: '1' },
        stdio: 'ignore',
      },
    );
    services = server.services as MemoryDimseServices;
    const names = (await readdir(pydicomTestFiles)).filter((name) => name.endsWith('.dcm')).sort();
    for (const name of names) {
      const path = join(pydicomTestFiles, name);
      try {
        const bytes = await readFile(path);
        const parsed = dcmjs.data.DicomMessage.readFile(new Uint8Array(bytes).buffer, {
          untilTag: '7FE00010',
        });
        const sopInstanceUID = parsed.dict['00080018']?.Value?.[0];
        const transferSyntaxUID = parsed.meta['00020010']?.Value?.[0];
        if (
          typeof sopInstanceUID === 'string' &&
          typeof transferSyntaxUID === 'string' &&
          !originals.has(sopInstanceUID)
        ) {
          originals.set(sopInstanceUID, { path, sopInstanceUID, transferSyntaxUID });
        }
      } catch {
        // Not a Part 10 file dcmjs can read (no meta, truncated): storescu decides on its own.
      }
    }
    const bySyntax = new Map<string, string[]>();
    for (const original of originals.values()) {
      bySyntax.set(original.transferSyntaxUID, [
        ...(bySyntax.get(original.transferSyntaxUID) ?? []),
        original.path,
      ]);
    }
    storeResult = { code: 0, stderr: '' };
    for (const [syntax, paths] of bySyntax) {
      const result = await run('storescu', [
        '-R',
        '-nh',
        ...(storescuProposal[syntax] ?? []),
        '-aec',
        server.aeTitle,
        '127.0.0.1',
        String(server.port),
        ...paths,
      ]);
      storeResult.code ||= result.code;
      storeResult.stderr += result.stderr;
    }
  }, 120_000);

  afterAll(async () => {
    storescp.kill();
    await server.close();
    await storescpDirectory.remove();
  });

  test('storescu stores every transfer syntax pydicom ships, in the syntax it was sent', () => {
    const storedSyntaxes = new Set(
      [...services.instances.values()].map((instance) => instance.transferSyntaxUID),
    );
    const shippedSyntaxes = new Set([...originals.values()].map((original) => original.transferSyntaxUID));
    expect(shippedSyntaxes.size).toBeGreaterThanOrEqual(8);
    expect([...storedSyntaxes].sort()).toEqual([...shippedSyntaxes].sort());
    const notStored = [...originals.values()].filter(
      (original) => !services.instances.has(original.sopInstanceUID),
    );
    expect(
      notStored.map((original) => original.path),
      storeResult.stderr.slice(-4000),
    ).toEqual([]);
  });

  test('each instance is stored in the syntax it was sent, values and private tags unchanged', async () => {
    const out = await temporaryDirectory();
    try {
      for (const original of originals.values()) {
        const stored = services.instances.get(original.sopInstanceUID);
        if (!stored) continue;
        expect(stored.transferSyntaxUID, original.path).toBe(original.transferSyntaxUID);
        const copy = join(out.path, 'stored.dcm');
        await writeFile(copy, stored.bytes);
        expect(await dumpDataset(copy), original.path).toEqual(await dumpDataset(original.path));
      }
    } finally {
      await out.remove();
    }
  });

  test('getscu gets an instance of every transfer syntax and SOP class back; dcmdump equal, private tags included', async () => {
    const out = await temporaryDirectory();
    try {
      const failures: string[] = [];
      // One getscu per (transfer syntax, SOP class) keeps the suite fast; movescu below moves all.
      const seen = new Set<string>();
      for (const original of originals.values()) {
        const stored = services.instances.get(original.sopInstanceUID);
        if (!stored || seen.has(`${stored.transferSyntaxUID}|${stored.sopClassUID}`)) continue;
        seen.add(`${stored.transferSyntaxUID}|${stored.sopClassUID}`);
        const result = await run('getscu', [
          '-S',
          ...(getscuPreference[stored.transferSyntaxUID] ?? []),
          '-aec',
          server.aeTitle,
          '-od',
          out.path,
          '-k',
          'QueryRetrieveLevel=IMAGE',
          '-k',
          `StudyInstanceUID=${stored.studyInstanceUID}`,
          '-k',
          `SeriesInstanceUID=${stored.seriesInstanceUID}`,
          '-k',
          `SOPInstanceUID=${stored.sopInstanceUID}`,
          '127.0.0.1',
          String(server.port),
        ]);
        const written = (await readdir(out.path)).find((name) => name.endsWith(stored.sopInstanceUID));
        if (!written) {
          failures.push(`${original.path}: ${result.stderr.split('\n').slice(-3).join(' ')}`);
          continue;
        }
        const retrieved = await readFile(join(out.path, written));
        expect(retrieved.length).toBeGreaterThan(0);
        expect(await dumpDataset(join(out.path, written)), original.path).toEqual(
          await dumpDataset(original.path),
        );
      }
      // getscu proposes one transfer syntax per storage context: Implicit VR instances of classes it
      // proposes only as Explicit VR come back re-encoded (transcodePart10), values equal.
      expect(failures).toEqual([]);
    } finally {
      await out.remove();
    }
  }, 120_000);

  test('movescu moves every study to storescp (any transfer syntax), dcmdump equal to the originals', async () => {
    const studies = new Set([...services.instances.values()].map((instance) => instance.studyInstanceUID));
    for (const studyInstanceUID of studies) {
      const result = await run('movescu', [
        '-S',
        '-aec',
        server.aeTitle,
        '-aem',
        'STORESCP',
        '-k',
        'QueryRetrieveLevel=STUDY',
        '-k',
        `StudyInstanceUID=${studyInstanceUID}`,
        '127.0.0.1',
        String(server.port),
      ]);
      expect(result.code, result.stderr).toBe(0);
    }
    const received = await readdir(storescpDirectory.path);
    for (const original of originals.values()) {
      const name = received.find((file) => file.endsWith(original.sopInstanceUID));
      expect(name, original.path).toBeDefined();
      expect(await dumpDataset(join(storescpDirectory.path, name!)), original.path).toEqual(
        await dumpDataset(original.path),
      );
    }
  }, 120_000);
});
