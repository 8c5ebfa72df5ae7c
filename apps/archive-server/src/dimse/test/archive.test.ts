import { type ChildProcess, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Archive, createArchive } from '../../main.js';
import { MemoryAeTable } from '../aeTable.js';
import { archiveDimseServices } from '../archiveDimseServices.js';
import { type DimseServer, createDimseServer } from '../createDimseServer.js';
import { openStoreAssociation, sendStoreSubOperation } from '../storeSubOperation.js';
import { writeFileMetaInformation } from '../part10.js';
import type { DimseServices } from '../dimseServices.js';
import { Readable } from 'node:stream';
import { encodeCStoreRequest } from '../commandSet.js';
import { internals } from '../dcmjsDimse.js';
import {
  type CorpusInstance,
  dumpDataset,
  findscu,
  freePort,
  generateCorpus,
  pydicomTestFiles,
  run,
  temporaryDirectory,
} from './harness.js';
import { testStorageConfig } from '../../../test/testStorageConfig.js';

/** The DIMSE front end wired to the real archive (SQLite index, fs blobs, the one ingest pipeline). */
describe('DIMSE over the archive services', { timeout: 60_000 }, () => {
  let archive: Archive;
  let dimse: DimseServer;
  let port: number;
  let corpus: CorpusInstance[];
  let storescp: ChildProcess;
  const directories: { path: string; remove(): Promise<void> }[] = [];

  beforeAll(async () => {
    const data = await temporaryDirectory();
    const files = await temporaryDirectory();
    const received = await temporaryDirectory();
    directories.push(data, files, received);
    archive = await createArchive({
      ...testStorageConfig(),
      dataDir: data.path,
      logLevel: 'silent',
      adminPassword: 'test-password-1',
    });
    const storescpPort = await freePort();
    dimse = createDimseServer({
      host: '127.0.0.1',
      port: 0,
      aeTitle: 'PACSKIT',
      services: archiveDimseServices(archive.services),
      aeTable: new MemoryAeTable([{ aeTitle: 'STORESCP', host: '127.0.0.1', port: storescpPort }]),
      // The server's pino logger, as the composition root will pass it.
      logger: archive.app.log,
    });
    await dimse.listen();
    port = dimse.address().port;
    storescp = spawn('storescp', ['+xa', '-aet', 'STORESCP', '-od', received.path, String(storescpPort)], {
      env: { ...process.env, TCP_NODELAY: '1' },
      stdio: 'ignore',
    });
    corpus = await generateCorpus(files.path, { patients: 4, studies: 2, series: 1, instances: 2 });
    const stored = await run('storescu', [
      '-aec',
      'PACSKIT',
      '127.0.0.1',
      String(port),
      ...corpus.map((i) => i.path),
    ]);
    expect(stored.code, stored.stderr).toBe(0);
    for (const [option, file] of [
      ['-xe', 'CT_small.dcm'],
      ['-xi', 'MR_small_implicit.dcm'],
      ['-xw', 'JPEG2000.dcm'],
    ] as const) {
      const result = await run('storescu', [
        option,
        '-aec',
        'PACSKIT',
        '127.0.0.1',
        String(port),
        join(pydicomTestFiles, file),
      ]);
      expect(result.code, result.stderr).toBe(0);
    }
  }, 60_000);

  afterAll(async () => {
    storescp?.kill();
    await dimse?.close();
    await archive?.close();
    for (const directory of directories) await directory.remove();
  });

  test('C-STORE success only once indexed: every instance is in the index', async () => {
    expect(await archive.services.query.searchForInstances({ match: {} })).toHaveLength(corpus.length + 3);
  });

  test('findscu at study level (wildcard) and image level answer from the index', async () => {
    const studies = await findscu(port, 'PACSKIT', [
      '-S',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      'PatientName=ALPHA*',
      '-k',
      'StudyInstanceUID',
    ]);
    expect(studies.result.code, studies.result.stderr).toBe(0);
    expect(studies.responses).toHaveLength(4);
    const instance = corpus[0]!;
    const images = await findscu(port, 'PACSKIT', [
      '-S',
      '-k',
      'QueryRetrieveLevel=IMAGE',
      '-k',
      `StudyInstanceUID=${instance.studyInstanceUID}`,
      '-k',
      `SeriesInstanceUID=${instance.seriesInstanceUID}`,
      '-k',
      'SOPInstanceUID',
    ]);
    expect(images.responses).toHaveLength(2);
  });

  test('movescu to storescp sends the stored files: dcmdump equal, private tags included', async () => {
    const ct = await archive.services.query.searchForInstances({
      match: { '00080018': '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322' },
      includeField: ['0020000D'],
    });
    const studyInstanceUID = ct[0]?.['0020000D']?.Value?.[0] as string;
    const result = await run('movescu', [
      '-S',
      '-aec',
      'PACSKIT',
      '-aem',
      'STORESCP',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      `StudyInstanceUID=${studyInstanceUID}`,
      '127.0.0.1',
      String(port),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const received = directories[2]!.path;
    const name = (await readdir(received)).find((file) =>
      file.endsWith('1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322'),
    );
    expect(name).toBeDefined();
    expect(await dumpDataset(join(received, name!))).toEqual(
      await dumpDataset(join(pydicomTestFiles, 'CT_small.dcm')),
    );
  });

  test('getscu (which proposes only Explicit VR for MR) gets the implicit VR instance re-encoded, values equal', async () => {
    const out = await temporaryDirectory();
    try {
      const result = await run('getscu', [
        '-S',
        '+xi',
        '-aec',
        'PACSKIT',
        '-od',
        out.path,
        '-k',
        'QueryRetrieveLevel=IMAGE',
        '-k',
        'StudyInstanceUID=1.3.6.1.4.1.5962.1.2.4.20040826185059.5457',
        '-k',
        'SOPInstanceUID=1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457',
        '127.0.0.1',
        String(port),
      ]);
      const files = await readdir(out.path);
      expect(files, result.stderr).toHaveLength(1);
      expect(await dumpDataset(join(out.path, files[0]!))).toEqual(
        await dumpDataset(join(pydicomTestFiles, 'MR_small_implicit.dcm')),
      );
    } finally {
      await out.remove();
    }
  });

  test('an association aborted mid-transfer leaves nothing in the index', async () => {
    const instance = {
      studyInstanceUID: '2.25.777',
      seriesInstanceUID: '2.25.777.1',
      sopInstanceUID: '2.25.777.1.1',
      sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
      transferSyntaxUID: '1.2.840.10008.1.2.1',
    };
    const association = await openStoreAssociation({
      callingAE: 'ABORTER',
      destination: { aeTitle: 'PACSKIT', host: '127.0.0.1', port },
      instances: [instance],
      signal: AbortSignal.timeout(10_000),
    });
    const { socket } = internals(association.network);
    const contextID = association.pickContext(instance)!;
    const pdu = (control: number, data: Buffer) => {
      const header = Buffer.alloc(12);
      header.writeUInt8(0x04, 0);
      header.writeUInt32BE(6 + data.length, 2);
      header.writeUInt32BE(2 + data.length, 6);
      header.writeUInt8(contextID, 10);
      header.writeUInt8(control, 11);
      return Buffer.concat([header, data]);
    };
    socket.write(pdu(3, encodeCStoreRequest({ messageID: 1, ...instance })));
    socket.write(pdu(0, Buffer.alloc(8192, 0x20)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const found = await archive.services.query.searchForInstances({
      match: { '00080018': instance.sopInstanceUID },
    });
    expect(found).toHaveLength(0);
    const echo = await run('echoscu', ['-aec', 'PACSKIT', '127.0.0.1', String(port)]);
    expect(echo.code).toBe(0);
  });

  test('a data set the archive cannot parse: a 0xCxxx failure status, nothing indexed', async () => {
    const instance = {
      studyInstanceUID: '2.25.888',
      seriesInstanceUID: '2.25.888.1',
      sopInstanceUID: '2.25.888.1.1',
      sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
      transferSyntaxUID: '1.2.840.10008.1.2.1',
    };
    const garbage = Buffer.concat([
      writeFileMetaInformation({
        mediaStorageSOPClassUID: instance.sopClassUID,
        mediaStorageSOPInstanceUID: instance.sopInstanceUID,
        transferSyntaxUID: instance.transferSyntaxUID,
      }),
      // (0008,0005) claiming 0xFFF0 bytes that are not there, then noise.
      Buffer.from([0x08, 0x00, 0x05, 0x00, 0x43, 0x53, 0xf0, 0xff]),
      Buffer.alloc(300, 0x41),
    ]);
    const association = await openStoreAssociation({
      callingAE: 'GARBAGE',
      destination: { aeTitle: 'PACSKIT', host: '127.0.0.1', port },
      instances: [instance],
      signal: AbortSignal.timeout(10_000),
    });
    try {
      const status = await sendStoreSubOperation({
        network: association.network,
        presentationContextID: association.pickContext(instance),
        instance,
        services: { openInstance: async () => Readable.from([garbage]) } as unknown as DimseServices,
        signal: AbortSignal.timeout(10_000),
      });
      expect(status & 0xf000).toBe(0xc000);
    } finally {
      await association.close();
    }
    const found = await archive.services.query.searchForInstances({
      match: { '00080018': instance.sopInstanceUID },
    });
    expect(found).toHaveLength(0);
  });
});
