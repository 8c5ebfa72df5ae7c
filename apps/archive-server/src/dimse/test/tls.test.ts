import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type TestServer,
  dumpDataset,
  pydicomTestFiles,
  run,
  startTestServer,
  temporaryDirectory,
} from './harness.js';
import type { MemoryDimseServices } from './memoryDimseServices.js';

/** A throwaway CA with a server and a client certificate (openssl), for DICOM TLS (PS3.15 B.1). */
async function makeCertificates(directory: string): Promise<void> {
  const openssl = async (args: string[]) => {
    const result = await run('openssl', args, { cwd: directory });
    if (result.code !== 0) throw new Error(result.stderr);
  };
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=PacsKit Test CA',
  ]);
  for (const name of ['server', 'client']) {
    await openssl([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name}`,
    ]);
    await openssl([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
    ]);
  }
}

describe('DICOM TLS with mutual authentication', { timeout: 60_000 }, () => {
  let server: TestServer;
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;

  beforeAll(async () => {
    directory = await temporaryDirectory();
    await makeCertificates(directory.path);
    server = await startTestServer({
      tls: {
        key: await readFile(join(directory.path, 'server.key')),
        cert: await readFile(join(directory.path, 'server.crt')),
        ca: await readFile(join(directory.path, 'ca.crt')),
      },
    });
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await directory.remove();
  });

  test('echoscu with a client certificate signed by the CA: C-ECHO succeeds', async () => {
    const result = await run('echoscu', [
      '+tls',
      join(directory.path, 'client.key'),
      join(directory.path, 'client.crt'),
      '+cf',
      join(directory.path, 'ca.crt'),
      '-aec',
      server.aeTitle,
      '127.0.0.1',
      String(server.port),
    ]);
    expect(result.code, result.stderr).toBe(0);
  });

  test('storescu over TLS: C-STORE read from the TLS socket, values equal (dcmdump)', async () => {
    const source = join(pydicomTestFiles, 'CT_small.dcm');
    const result = await run('storescu', [
      '+tls',
      join(directory.path, 'client.key'),
      join(directory.path, 'client.crt'),
      '+cf',
      join(directory.path, 'ca.crt'),
      '-aec',
      server.aeTitle,
      '127.0.0.1',
      String(server.port),
      source,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const services = server.services as MemoryDimseServices;
    const [stored] = [...services.instances.values()];
    const copy = join(directory.path, 'stored.dcm');
    await writeFile(copy, stored!.bytes);
    expect(await dumpDataset(copy)).toBe(await dumpDataset(source));
  });

  test('anonymous TLS (no client certificate) is refused', async () => {
    const result = await run('echoscu', [
      '+tla',
      '-ic',
      '-aec',
      server.aeTitle,
      '127.0.0.1',
      String(server.port),
    ]);
    expect(result.code).not.toBe(0);
  });

  test('plain TCP is refused', async () => {
    const result = await run('echoscu', ['-aec', server.aeTitle, '127.0.0.1', String(server.port)]);
    expect(result.code).not.toBe(0);
  });
});
