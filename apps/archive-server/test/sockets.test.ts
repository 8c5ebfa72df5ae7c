import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stowBody } from '../src/testing/generateInstance.js';
import { pydicomTestFile } from '../src/testing/testFiles.js';
import { auth, startArchive, value } from './helpers.js';
import { cliPath, ensureBuilt } from './processHelpers.js';

/** The archive over a real socket: CORS for portals on another origin, and the CLI itself. */
const portal = 'http://portal.example:3000';
let started: Awaited<ReturnType<typeof startArchive>>;
let base: string;

beforeAll(async () => {
  started = await startArchive({ corsOrigins: [portal] });
  base = await started.archive.app.listen({ host: '127.0.0.1', port: 0 });
  ensureBuilt();
});
afterAll(async () => {
  await started.cleanup();
});

describe('over HTTP', () => {
  it('stores with STOW-RS and finds with QIDO-RS through fetch', async () => {
    const { body, contentType } = stowBody([readFileSync(pydicomTestFile('CT_small.dcm'))]);
    const stored = await fetch(`${base}/dicom-web/studies`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': contentType },
      body: new Uint8Array(body),
    });
    expect(stored.status).toBe(200);
    const found = (await (
      await fetch(`${base}/dicom-web/studies?PatientID=1CT1`, { headers: { authorization: auth } })
    ).json()) as DicomJsonDataset[];
    expect(value(found[0], '00081190')).toBe(
      `${base}/dicom-web/studies/1.3.6.1.4.1.5962.1.2.1.20040119072730.12322`,
    );
  });

  it('answers a CORS preflight from an allowed origin without credentials', async () => {
    const preflight = await fetch(`${base}/dicom-web/studies`, {
      method: 'OPTIONS',
      headers: {
        origin: portal,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(portal);
    const actual = await fetch(`${base}/dicom-web/studies`, {
      headers: { origin: portal, authorization: auth },
    });
    expect(actual.headers.get('access-control-allow-origin')).toBe(portal);
  });

  it('gives no CORS grant to another origin', async () => {
    const response = await fetch(`${base}/dicom-web/studies`, {
      headers: { origin: 'http://evil.example', authorization: auth },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('pacskit-archive CLI', () => {
  const run = promisify(execFile);

  it('prints --help with every flag and its environment variable', async () => {
    const { stdout } = await run(process.execPath, [cliPath, '--help']);
    for (const flag of [
      '--host',
      '--http-port',
      '--dicom-port',
      '--aet',
      '--data-dir',
      '--log-level',
      '--duplicate-policy',
      '--cors-origin',
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain('PACSKIT_HTTP_PORT');
  });

  it('refuses an unknown flag or a bad value with exit code 2', async () => {
    for (const args of [['--no-such-flag'], ['--duplicate-policy', 'sometimes'], ['--http-port', '99999']]) {
      const error = await run(process.execPath, [cliPath, ...args]).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect((error as { code: number }).code, args.join(' ')).toBe(2);
    }
  });
});
