import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PacsError } from '@pacskit/dicom';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeCStoreRequest } from '../commandSet.js';
import { constants, internals } from '../dcmjsDimse.js';
import type { StoredInstanceRef } from '../dimseServices.js';
import { openStoreAssociation, sendStoreSubOperation } from '../storeSubOperation.js';
import { type TestServer, pydicomTestFiles, run, startTestServer } from './harness.js';
import { MemoryDimseServices } from './memoryDimseServices.js';

const ctImageStorage = '1.2.840.10008.5.1.4.1.1.2';
const mrImageStorage = '1.2.840.10008.5.1.4.1.1.4';
const explicitLittleEndian = '1.2.840.10008.1.2.1';

/** Sends raw bytes on a fresh connection and collects what comes back until the server closes. */
function exchange(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(received)));
    socket.write(bytes);
  });
}

async function echo(server: TestServer, callingAE = 'ECHOSCU'): Promise<boolean> {
  const result = await run('echoscu', [
    '-aet',
    callingAE,
    '-aec',
    server.aeTitle,
    '127.0.0.1',
    String(server.port),
  ]);
  return result.code === 0;
}

describe('bad input over real sockets', { timeout: 60_000 }, () => {
  let server: TestServer;
  const services = new MemoryDimseServices();
  let ctSmall: Buffer;

  beforeAll(async () => {
    server = await startTestServer({ services, limits: { maxPduLength: 64 * 1024 } });
    ctSmall = await readFile(join(pydicomTestFiles, 'CT_small.dcm'));
  });

  afterAll(async () => {
    await server.close();
  });

  test('wrong called AE title: A-ASSOCIATE-RJ "called AE not recognized"', async () => {
    const result = await run('echoscu', ['-aec', 'NOT-US', '127.0.0.1', String(server.port)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Called AE Title Not Recognized/i);
    expect(await echo(server)).toBe(true);
  });

  test('unknown calling AE with the reject policy: A-ASSOCIATE-RJ "calling AE not recognized"', async () => {
    const strict = await startTestServer({
      policy: { unknownCallingAE: 'reject' },
      aeTable: [{ aeTitle: 'KNOWN', host: '127.0.0.1', port: 1 }],
    });
    try {
      const result = await run('echoscu', [
        '-aet',
        'STRANGER',
        '-aec',
        strict.aeTitle,
        '127.0.0.1',
        String(strict.port),
      ]);
      expect(result.stderr).toMatch(/Calling AE Title Not Recognized/i);
      expect(await echo(strict, 'KNOWN')).toBe(true);
    } finally {
      await strict.close();
    }
  });

  test('unrecognised PDU type: A-ABORT reason 1, the server keeps serving', async () => {
    const reply = await exchange(server.port, Buffer.from([0x09, 0, 0, 0, 0, 4, 1, 2, 3, 4]));
    expect([...reply.subarray(0, 10)]).toEqual([0x07, 0, 0, 0, 0, 4, 0, 0, 2, 1]);
    expect(await echo(server)).toBe(true);
  });

  test('oversized PDU: A-ABORT reason 6 before anything is buffered', async () => {
    const reply = await exchange(server.port, Buffer.from([0x04, 0, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0]));
    expect([...reply.subarray(0, 10)]).toEqual([0x07, 0, 0, 0, 0, 4, 0, 0, 2, 6]);
    expect(await echo(server)).toBe(true);
  });

  test('unknown presentation context (Basic Film Session): rejected, abstract syntax not supported', async () => {
    const printing: StoredInstanceRef = {
      studyInstanceUID: '1.2.3',
      seriesInstanceUID: '1.2.3.4',
      sopInstanceUID: '1.2.3.4.5',
      sopClassUID: '1.2.840.10008.5.1.1.1',
      transferSyntaxUID: explicitLittleEndian,
    };
    const association = await openStoreAssociation({
      callingAE: 'TESTSCU',
      destination: { aeTitle: server.aeTitle, host: '127.0.0.1', port: server.port },
      instances: [printing],
      signal: AbortSignal.timeout(10_000),
    });
    try {
      expect(association.pickContext(printing)).toBeUndefined();
      const context = internals(association.network).association?.getPresentationContexts()[0]?.context;
      expect(context?.getResult()).toBe(constants.PresentationContextResult.RejectAbstractSyntaxNotSupported);
    } finally {
      await association.close();
    }
  });

  test('data set that does not match its SOP class: 0xA900, nothing stored', async () => {
    const sopInstanceUID = '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322';
    const mislabelled: StoredInstanceRef = {
      studyInstanceUID: '1.2.3',
      seriesInstanceUID: '1.2.3.4',
      sopInstanceUID,
      // The command says MR; the data set (CT_small) says CT.
      sopClassUID: mrImageStorage,
      transferSyntaxUID: explicitLittleEndian,
    };
    const association = await openStoreAssociation({
      callingAE: 'TESTSCU',
      destination: { aeTitle: server.aeTitle, host: '127.0.0.1', port: server.port },
      instances: [mislabelled],
      signal: AbortSignal.timeout(10_000),
    });
    try {
      const status = await sendStoreSubOperation({
        network: association.network,
        presentationContextID: association.pickContext(mislabelled),
        instance: mislabelled,
        services: Object.assign(Object.create(services) as MemoryDimseServices, {
          openInstance: async () => Readable.from([ctSmall]),
        }),
        signal: AbortSignal.timeout(10_000),
      });
      expect(status).toBe(0xa900);
      expect(services.instances.has(sopInstanceUID)).toBe(false);
    } finally {
      await association.close();
    }
    expect(await echo(server)).toBe(true);
  });

  test('association aborted mid-transfer: the pipeline sees an error, nothing is stored', async () => {
    const instance: StoredInstanceRef = {
      studyInstanceUID: '1.2.3',
      seriesInstanceUID: '1.2.3.4',
      sopInstanceUID: '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322',
      sopClassUID: ctImageStorage,
      transferSyntaxUID: explicitLittleEndian,
    };
    const association = await openStoreAssociation({
      callingAE: 'TESTSCU',
      destination: { aeTitle: server.aeTitle, host: '127.0.0.1', port: server.port },
      instances: [instance],
      signal: AbortSignal.timeout(10_000),
    });
    const callsBefore = services.storeCalls;
    const { socket } = internals(association.network);
    const contextID = association.pickContext(instance)!;
    const pdv = (command: boolean, last: boolean, data: Buffer) => {
      const header = Buffer.alloc(12);
      header.writeUInt8(0x04, 0);
      header.writeUInt32BE(6 + data.length, 2);
      header.writeUInt32BE(2 + data.length, 6);
      header.writeUInt8(contextID, 10);
      header.writeUInt8((command ? 1 : 0) | (last ? 2 : 0), 11);
      return Buffer.concat([header, data]);
    };
    socket.write(pdv(true, true, encodeCStoreRequest({ messageID: 1, ...instance })));
    // Half of the data set (after the 132-byte preamble and the file meta), then a hard close.
    socket.write(pdv(false, false, ctSmall.subarray(400, 20_000)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(services.storeCalls).toBe(callsBefore + 1);
    expect(services.instances.has(instance.sopInstanceUID)).toBe(false);
    expect(await echo(server)).toBe(true);
  });

  test('C-MOVE to an AE missing from the AE table: 0xA801 move destination unknown', async () => {
    const stored = await run('storescu', [
      '-aec',
      server.aeTitle,
      '127.0.0.1',
      String(server.port),
      join(pydicomTestFiles, 'MR_small.dcm'),
    ]);
    expect(stored.code, stored.stderr).toBe(0);
    const study = [...services.instances.values()][0]!.studyInstanceUID;
    const result = await run('movescu', [
      '-S',
      '-aec',
      server.aeTitle,
      '-aem',
      'NOWHERE',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      `StudyInstanceUID=${study}`,
      '127.0.0.1',
      String(server.port),
    ]);
    expect(result.stderr + result.stdout).toMatch(/MoveDestinationUnknown/);
    expect(await echo(server)).toBe(true);
  });

  test('max associations: the next association is rejected (transient, local limit exceeded)', async () => {
    const tiny = await startTestServer({ limits: { maxAssociations: 1 } });
    const held = await openStoreAssociation({
      callingAE: 'HOLDER',
      destination: { aeTitle: tiny.aeTitle, host: '127.0.0.1', port: tiny.port },
      instances: [],
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    try {
      const result = await run('echoscu', ['-aec', tiny.aeTitle, '127.0.0.1', String(tiny.port)]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/Local Limit Exceeded|rejected/i);
    } finally {
      await held?.close();
      await tiny.close();
    }
  });

  test('idle timeout: a connection that sends nothing is closed, the server keeps serving', async () => {
    const idle = await startTestServer({ limits: { idleTimeoutMs: 500 } });
    try {
      const closed = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: idle.port });
        socket.on('error', () => undefined);
        socket.resume(); // read, so the server's close arrives as 'end' then 'close'
        socket.on('close', () => resolve(true));
        setTimeout(() => resolve(false), 20_000).unref();
      });
      expect(closed).toBe(true);
      expect(await echo(idle)).toBe(true);
    } finally {
      await idle.close();
    }
  });

  test('the pipeline refusing for lack of resources: 0xA700 to storescu, nothing stored', async () => {
    services.failNextStore = new PacsError('OUT_OF_RESOURCES', 'disk full');
    const result = await run('storescu', [
      '-v',
      '-aec',
      server.aeTitle,
      '127.0.0.1',
      String(server.port),
      join(pydicomTestFiles, 'rtplan.dcm'),
    ]);
    expect(result.stderr + result.stdout).toMatch(/Refused: OutOfResources/);
    expect(
      [...services.instances.values()].some(
        (instance) => instance.sopClassUID === '1.2.840.10008.5.1.4.1.1.481.5',
      ),
    ).toBe(false);
    expect(await echo(server)).toBe(true);
  });

  test('an AE allowed only C-ECHO by the AE table: its storage contexts are rejected, echo works', async () => {
    const limited = await startTestServer({
      policy: { unknownCallingAE: 'reject' },
      aeTable: [{ aeTitle: 'ECHOONLY', host: '127.0.0.1', port: 1, allowedServices: ['echo'] }],
    });
    try {
      const store = await run('storescu', [
        '-aet',
        'ECHOONLY',
        '-aec',
        limited.aeTitle,
        '127.0.0.1',
        String(limited.port),
        join(pydicomTestFiles, 'CT_small.dcm'),
      ]);
      expect(store.code).not.toBe(0);
      expect(store.stderr).toMatch(
        /No presentation context|no acceptable presentation context|Presentation Context/i,
      );
      expect(await echo(limited, 'ECHOONLY')).toBe(true);
    } finally {
      await limited.close();
    }
  });
});
