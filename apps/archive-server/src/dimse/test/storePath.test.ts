import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commandUS, decodeCommandSet, encodeCStoreRequest, encodeCommandSet } from '../commandSet.js';
import { pDataTfPdu } from '../pDataWriter.js';
import { splitPart10 } from '../part10.js';
import { sopClass, transferSyntax } from '../sopClasses.js';
import { type TestServer, pydicomTestFiles, startTestServer } from './harness.js';
import { MemoryDimseServices } from './memoryDimseServices.js';
import { RawAssociation } from './rawAssociation.js';

/**
 * The C-STORE path reads PDUs itself (pduReader.ts, DimseAssociation): these send what DCMTK's
 * storescu never does — commands split over PDVs, many PDVs per PDU, PDUs cut at odd byte
 * boundaries — and mix C-STORE with messages dcmjs-dimse still handles, on one association.
 */
const ctImageStorage = '1.2.840.10008.5.1.4.1.1.2';

/** A PDU carrying several PDVs (PS3.8 9.3.5: one or more PDV items). */
function pDataTfPduOf(pdvs: { id: number; command: boolean; last: boolean; value: Buffer }[]): Buffer {
  const items = pdvs.map(({ id, command, last, value }) => pDataTfPdu(id, command, last, value).subarray(6));
  const body = Buffer.concat(items);
  const header = Buffer.alloc(6);
  header.writeUInt8(0x04, 0);
  header.writeUInt32BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function status(command: Buffer): number | undefined {
  return commandUS(decodeCommandSet(command) ?? new Map(), 0x0900);
}

describe('C-STORE read straight from the socket', { timeout: 60_000 }, () => {
  let server: TestServer;
  const services = new MemoryDimseServices();
  let dataset: Buffer;
  let sopInstanceUID: string;

  beforeAll(async () => {
    server = await startTestServer({ services, limits: { idleTimeoutMs: 1500 } });
    const part10 = await splitPart10(Readable.from([await readFile(join(pydicomTestFiles, 'CT_small.dcm'))]));
    sopInstanceUID = part10.meta.mediaStorageSOPInstanceUID;
    const chunks: Buffer[] = [];
    for await (const chunk of part10.dataset) chunks.push(chunk as Buffer);
    dataset = Buffer.concat(chunks);
  });

  afterAll(async () => {
    await server.close();
  });

  const open = () =>
    RawAssociation.open({
      port: server.port,
      calledAE: server.aeTitle,
      abstractSyntaxes: [ctImageStorage, sopClass.verification, sopClass.studyRootFind],
      transferSyntaxUID: transferSyntax.explicitVRLittleEndian,
    });

  test('a command split over two PDVs and a data set in 7-byte PDVs, 3 per PDU, cut every 5 bytes: stored byte for byte', async () => {
    const association = await open();
    const id = association.contexts.get(ctImageStorage)!;
    const command = encodeCStoreRequest({ messageID: 7, sopClassUID: ctImageStorage, sopInstanceUID });
    const pdus = [
      pDataTfPduOf([{ id, command: true, last: false, value: command.subarray(0, 20) }]),
      pDataTfPduOf([{ id, command: true, last: true, value: command.subarray(20) }]),
    ];
    const fragments: Buffer[] = [];
    for (let offset = 0; offset < dataset.length; offset += 7)
      fragments.push(dataset.subarray(offset, offset + 7));
    for (let index = 0; index < fragments.length; index += 3) {
      const group = fragments.slice(index, index + 3);
      pdus.push(
        pDataTfPduOf(
          group.map((value, position) => ({
            id,
            command: false,
            last: index + position === fragments.length - 1,
            value,
          })),
        ),
      );
    }
    const bytes = Buffer.concat(pdus);
    for (let offset = 0; offset < bytes.length; offset += 5)
      association.write(bytes.subarray(offset, offset + 5));
    const response = await association.receive();
    expect(status(response.command)).toBe(0x0000);
    expect(commandUS(decodeCommandSet(response.command)!, 0x0120)).toBe(7);
    const stored = services.instances.get(sopInstanceUID)!;
    expect(stored.bytes.subarray(stored.bytes.length - dataset.length).equals(dataset)).toBe(true);
    await association.release();
  });

  test('C-ECHO, C-STORE and C-FIND on one association: each answered in turn', async () => {
    const association = await open();
    // C-ECHO-RQ (PS3.7 9.3.5.1): dcmjs-dimse answers it.
    association.send(
      association.contexts.get(sopClass.verification)!,
      encodeCommandSet([
        { element: 0x0002, value: { type: 'UI', value: sopClass.verification } },
        { element: 0x0100, value: { type: 'US', value: 0x0030 } },
        { element: 0x0110, value: { type: 'US', value: 1 } },
        { element: 0x0800, value: { type: 'US', value: 0x0101 } },
      ]),
    );
    expect(status((await association.receive()).command)).toBe(0x0000);
    association.send(
      association.contexts.get(ctImageStorage)!,
      encodeCStoreRequest({ messageID: 2, sopClassUID: ctImageStorage, sopInstanceUID }),
      dataset,
    );
    expect(status((await association.receive()).command)).toBe(0x0000);
    const found = await association.find(sopClass.studyRootFind, {
      '00080052': { vr: 'CS', Value: ['STUDY'] },
      '0020000D': { vr: 'UI' },
      '00100020': {
        vr: 'LO',
        Value: [services.instances.get(sopInstanceUID)!.attributes['00100020']?.Value?.[0] as string],
      },
    });
    expect(found.status).toBe(0x0000);
    expect(found.identifiers.length).toBe(1);
    await association.release();
  });

  test('a C-STORE on a presentation context that was not accepted: A-ABORT, the server keeps serving', async () => {
    const association = await open();
    const unaccepted = 99;
    association.send(
      unaccepted,
      encodeCStoreRequest({ messageID: 1, sopClassUID: ctImageStorage, sopInstanceUID }),
      dataset,
    );
    await expect(association.receive()).rejects.toThrow('association closed');
    const again = await open();
    expect(again.contexts.has(ctImageStorage)).toBe(true);
    await again.release();
  });

  test('a C-FIND with 40 matches: every identifier arrives, in order, before the final status', async () => {
    class ManyStudies extends MemoryDimseServices {
      override async search() {
        return Array.from({ length: 40 }, (_, index) => ({
          '0020000D': { vr: 'UI' as const, Value: [`1.2.3.${index}`] },
        }));
      }
    }
    const many = await startTestServer({ services: new ManyStudies() });
    try {
      const association = await RawAssociation.open({
        port: many.port,
        calledAE: many.aeTitle,
        abstractSyntaxes: [sopClass.studyRootFind],
      });
      const found = await association.find(sopClass.studyRootFind, {
        '00080052': { vr: 'CS', Value: ['STUDY'] },
        '0020000D': { vr: 'UI' },
      });
      expect(found.status).toBe(0x0000);
      expect(found.identifiers.map((bytes) => bytes.toString('latin1').match(/1\.2\.3\.\d+/)?.[0])).toEqual(
        Array.from({ length: 40 }, (_, index) => `1.2.3.${index}`),
      );
      await association.release();
    } finally {
      await many.close();
    }
  });

  test('a C-FIND on a presentation context that was not accepted: A-ABORT', async () => {
    const association = await open();
    association.send(
      99,
      encodeCommandSet([
        { element: 0x0002, value: { type: 'UI', value: sopClass.studyRootFind } },
        { element: 0x0100, value: { type: 'US', value: 0x0020 } },
        { element: 0x0110, value: { type: 'US', value: 1 } },
        { element: 0x0800, value: { type: 'US', value: 0x0000 } },
      ]),
      Buffer.from([0x08, 0x00, 0x52, 0x00, 0x43, 0x53, 0x06, 0x00, ...Buffer.from('STUDY ')]),
    );
    await expect(association.receive()).rejects.toThrow('association closed');
  });

  test('regression: a C-STORE-only association outlives dcmjs-dimse PDU timer (it saw no PDU after negotiation)', async () => {
    // idleTimeoutMs is 1.5 s here; dcmjs-dimse's timer, when it ran, counted only the PDUs it
    // read itself and aborted a busy store-only association after that long.
    const association = await open();
    const id = association.contexts.get(ctImageStorage)!;
    const started = Date.now();
    let messageID = 1;
    while (Date.now() - started < 3000) {
      association.send(
        id,
        encodeCStoreRequest({ messageID, sopClassUID: ctImageStorage, sopInstanceUID }),
        dataset,
      );
      expect(status((await association.receive()).command)).toBe(0x0000);
      messageID += 1;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await association.release();
  });
});
