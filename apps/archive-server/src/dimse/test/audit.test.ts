import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Archive, createArchive } from '../../main.js';
import { testStorageConfig } from '../../../test/testStorageConfig.js';
import { commandUS, decodeCommandSet, encodeCommandSet } from '../commandSet.js';
import { findscu, freePort, pydicomTestFiles, run, temporaryDirectory } from './harness.js';
import { RawAssociation } from './rawAssociation.js';

/** Issue 5: every DIMSE operation, refusals included, lands in the hash-chained audit trail. */
describe('DIMSE operations are audited', { timeout: 60_000 }, () => {
  let archive: Archive;
  let port: number;
  let data: { path: string; remove(): Promise<void> };

  beforeAll(async () => {
    data = await temporaryDirectory();
    port = await freePort();
    archive = await createArchive({
      ...testStorageConfig(),
      dataDir: data.path,
      logLevel: 'silent',
      adminPassword: 'audit-test-password',
      dicomPort: port,
      httpPort: 0,
    });
    await archive.dimse.listen();
  });
  afterAll(async () => {
    await archive?.close();
    await data?.remove();
  });

  async function dimseEvents() {
    // Audit records are written asynchronously after the response: wait for the chain to settle.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return (await archive.audit.query({ limit: 1000 })).filter((record) => record.protocol === 'dimse');
  }

  test('echo, store and find become audit events with the calling AE and the status', async () => {
    expect(
      (await run('echoscu', ['-aet', 'AUDITSCU', '-aec', 'PACSKIT', '127.0.0.1', String(port)])).code,
    ).toBe(0);
    const store = await run('storescu', [
      ...['-aet', 'AUDITSCU', '-aec', 'PACSKIT'],
      '127.0.0.1',
      String(port),
      join(pydicomTestFiles, 'CT_small.dcm'),
    ]);
    expect(store.code).toBe(0);
    const find = await findscu(port, 'PACSKIT', [
      '-S',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      'StudyInstanceUID',
    ]);
    expect(find.result.code).toBe(0);
    const events = await dimseEvents();
    const byOperation = (operation: string) => events.filter((event) => event.operation === operation);
    expect(byOperation('C-ECHO')[0]).toMatchObject({ actor: 'ae:AUDITSCU', outcome: 'success' });
    expect(byOperation('C-STORE')[0]).toMatchObject({
      actor: 'ae:AUDITSCU',
      outcome: 'success',
      category: 'import',
    });
    expect(byOperation('C-FIND').length).toBeGreaterThanOrEqual(1);
    expect(byOperation('C-FIND')[0]).toMatchObject({ outcome: 'success', category: 'query' });
    expect((await archive.audit.verify()).ok).toBe(true);
  });

  test('a refused association is audited as a denial', async () => {
    const echo = await run('echoscu', ['-aet', 'AUDITSCU', '-aec', 'NOT-PACSKIT', '127.0.0.1', String(port)]);
    expect(echo.code).not.toBe(0);
    const refused = (await dimseEvents()).filter((event) => event.operation === 'A-ASSOCIATE');
    expect(refused.at(-1)).toMatchObject({
      actor: 'ae:AUDITSCU',
      outcome: 'denied',
      category: 'security-alert',
    });
  });

  test('an operation on an association still open at a clean shutdown is audited', async () => {
    // Operation reports are held back until the association ends: closing the archive must
    // still hand them to the audit trail before the stores close.
    const shutdownData = await temporaryDirectory();
    const config = {
      ...testStorageConfig(),
      dataDir: shutdownData.path,
      logLevel: 'silent' as const,
      adminPassword: 'audit-test-password',
      httpPort: 0,
    };
    const verification = '1.2.840.10008.1.1';
    try {
      const shutdownPort = await freePort();
      const first = await createArchive({ ...config, dicomPort: shutdownPort });
      await first.dimse.listen();
      const association = await RawAssociation.open({
        port: shutdownPort,
        calledAE: 'PACSKIT',
        callingAE: 'OPENSCU',
        abstractSyntaxes: [verification],
      });
      const messageID = association.nextMessageID();
      association.send(
        association.contexts.get(verification)!,
        encodeCommandSet([
          { element: 0x0002, value: { type: 'UI', value: verification } },
          { element: 0x0100, value: { type: 'US', value: 0x0030 } },
          { element: 0x0110, value: { type: 'US', value: messageID } },
          { element: 0x0800, value: { type: 'US', value: 0x0101 } },
        ]),
      );
      const response = decodeCommandSet((await association.receive()).command)!;
      expect(commandUS(response, 0x0100)).toBe(0x8030);
      expect(commandUS(response, 0x0120)).toBe(messageID);
      expect(commandUS(response, 0x0900)).toBe(0);
      await first.close();
      association.destroy();

      const reopened = await createArchive({ ...config, dicomPort: await freePort() });
      try {
        const echoes = (await reopened.audit.query({ limit: 1000 })).filter(
          (record) => record.operation === 'C-ECHO' && record.actor === 'ae:OPENSCU',
        );
        expect(echoes).toHaveLength(1);
        expect((await reopened.audit.verify()).ok).toBe(true);
      } finally {
        await reopened.close();
      }
    } finally {
      await shutdownData.remove();
    }
  });
});
