import { beforeEach, describe, expect, it } from 'vitest';
import { type OpenedTestStores, storeBackends } from '../adapters/contract/storeBackends.js';

// The AE table behind the admin routes and the DIMSE front end, on SQLite and on PostgreSQL.
describe.each(storeBackends())('the AE table on $name', (backend) => {
  let stores: OpenedTestStores;
  beforeEach(async () => {
    stores = await backend.open();
  }, 30_000);

  it('upserts, lists in title order, looks up trimmed titles and deletes', async () => {
    const { aeTable } = stores;
    await aeTable.upsertAll([
      { aeTitle: 'STORESCP', host: '127.0.0.1', port: 11113 },
      { aeTitle: 'MODALITY', host: '127.0.0.1', port: 104, allowedServices: ['store'], tls: true },
    ]);
    expect((await aeTable.list()).map((entry) => entry.aeTitle)).toEqual(['MODALITY', 'STORESCP']);
    expect(await aeTable.lookup('MODALITY  ')).toEqual({
      aeTitle: 'MODALITY',
      host: '127.0.0.1',
      port: 104,
      allowedServices: ['store'],
      tls: true,
    });
    await aeTable.set({ aeTitle: 'STORESCP', host: '127.0.0.2', port: 11114 });
    expect(await aeTable.lookup('STORESCP')).toEqual({ aeTitle: 'STORESCP', host: '127.0.0.2', port: 11114 });
    expect(await aeTable.delete('STORESCP')).toBe(true);
    expect(await aeTable.delete('STORESCP')).toBe(false);
    expect(await aeTable.lookup('STORESCP')).toBeUndefined();
  });

  it('is one table for every process sharing the database', async () => {
    const other = stores.openAnother ? (await stores.openAnother()).aeTable : stores.aeTable;
    await stores.aeTable.set({ aeTitle: 'VIEWER', host: '127.0.0.1', port: 4242 });
    expect(await other.lookup('VIEWER')).toEqual({ aeTitle: 'VIEWER', host: '127.0.0.1', port: 4242 });
    expect(await other.delete('VIEWER')).toBe(true);
    expect(await stores.aeTable.lookup('VIEWER')).toBeUndefined();
  });
});
