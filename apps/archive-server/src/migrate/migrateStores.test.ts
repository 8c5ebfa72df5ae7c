import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThrowawayPostgres, startPostgresOnFreePort } from '../adapters/contract/startPostgres.js';
import { type OpenedStores, openStores } from '../adapters/openStorage.js';
import { SqliteIndex } from '../adapters/sqlite/SqliteIndex.js';
import type { AuditRecord } from '../audit/AuditEvent.js';
import { createAuditLog } from '../audit/createAuditLog.js';
import { enableDemo } from '../demo/enableDemo.js';
import { createArchive } from '../main.js';
import { createAccessionNumberFormat } from '../workflow/accessionNumber.js';
import { createOrderService } from '../workflow/createOrderService.js';
import type { WorkflowStore } from '../workflow/WorkflowStore.js';
import { studyInstanceUIDs } from './migrateInstances.js';
import { type ArchiveStores, migrateStores } from './migrateStores.js';

// The stores beside the index, from an embedded archive seeded with the demo (accounts, grants,
// orders in every state, reports with versions, annotations, worklist, audit trail) into the
// PostgreSQL stores of a throwaway PostgreSQL 15 cluster on 127.0.0.1.
let postgres: ThrowawayPostgres;
const dataDir = mkdtempSync(join(tmpdir(), 'pacskit-migrate-stores-'));
let sourceIndex: SqliteIndex;
let source: OpenedStores;
const opened: OpenedStores[] = [];

// Orders with generated accession numbers (the demo's are fixed), all on one day's counter.
const orderDay = { now: () => Date.UTC(2026, 10, 22, 9) };
const accessionFormat = createAccessionNumberFormat('ACC{YYYY}{MM}{DD}{SEQ:4}');
const orderService = (store: WorkflowStore) =>
  createOrderService({ store, clock: orderDay, accessionFormat });
const orderInput = {
  patientId: 'MIG-1',
  patientName: 'Test^Migration',
  modality: 'CT',
  urgency: 'routine' as const,
};

beforeAll(async () => {
  postgres = await startPostgresOnFreePort();
  const archive = await createArchive({ dataDir, adminPassword: 'admin-password', logLevel: 'silent' });
  await enableDemo(archive, {
    dataDir,
    access: archive.access,
    workflow: archive.workflow,
    demoPassword: 'demo-password',
  });
  await archive.close();
  sourceIndex = new SqliteIndex(join(dataDir, 'index.sqlite'));
  source = await openStores({ dataDir });
  opened.push(source);
  await source.aeTable.set({ aeTitle: 'STORESCP', host: '127.0.0.1', port: 11113, tls: true });
  // The demo seeds through the services, which audit nothing themselves: a few events as the HTTP
  // and DIMSE front ends write them.
  const [study] = (await sourceIndex.search({ level: 'study', conditions: [], limit: 1 })).map(
    (row) => row.study['0020000D']?.Value?.[0] as string,
  );
  for (let i = 0; i < 5; i++) {
    await source.audit.append(
      {
        type: 'study.read',
        action: 'R',
        category: 'instances-accessed',
        outcome: 'success',
        actor: 'admin',
        protocol: i % 2 === 0 ? 'http' : 'dimse',
        ...(study ? { studyInstanceUID: study } : {}),
        detail: { attempt: i },
      },
      Date.now() + i,
      randomUUID(),
    );
  }
  for (let i = 0; i < 3; i++) await orderService(source.workflow).create(orderInput, 'admin');
  // The dashboard's statistics, with and without a modality, two days apart.
  for (let i = 0; i < 4; i++)
    await source.workflow.recordIngest({
      sopInstanceUID: `1.2.826.0.1.3680043.10.1.${i}`,
      studyInstanceUID: '1.2.826.0.1.3680043.10.1',
      seriesInstanceUID: `1.2.826.0.1.3680043.10.1.${i % 2}`,
      modality: i === 3 ? undefined : 'MR',
      bytes: 1000 + i,
      at: Date.UTC(2026, 10, 20 + (i % 2) * 2, 12),
    });
}, 120_000);

afterAll(async () => {
  for (const stores of opened) await stores.close();
  await sourceIndex?.close();
  postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function scaleOutStores(name: string): Promise<OpenedStores> {
  const stores = await openStores({ dataDir, database: postgres.createDatabase(name) });
  opened.push(stores);
  return stores;
}

const migrate = (target: ArchiveStores) =>
  migrateStores({ source, target, studyInstanceUIDs: () => studyInstanceUIDs(sourceIndex) });

const byId = <T extends { id: string }>(records: T[]) => records.toSorted((a, b) => a.id.localeCompare(b.id));

/** The audit events without the chain fields the target computes anew. */
const events = (records: AuditRecord[]) =>
  records.map(({ seq: _seq, previousHash: _previous, hash: _hash, ...event }) => event);

describe('migrateStores (SQLite → PostgreSQL)', () => {
  it('copies every record and reads it back equal; a second run copies nothing', async () => {
    const target = await scaleOutStores('stores_copy');
    const first = await migrate(target);
    expect(first.failures).toEqual([]);
    for (const kind of [
      'users',
      'grants',
      'orders',
      'reports',
      'annotations',
      'scheduledSteps',
      'aeTitles',
      'sequences',
      'ingestStats',
      'auditEvents',
    ] as const)
      expect(first.counts[kind].copied, kind).toBeGreaterThan(0);

    expect(byId(await target.access.listUsers())).toEqual(byId(await source.access.listUsers()));
    expect(byId(await target.access.listGrants({}))).toEqual(byId(await source.access.listGrants({})));
    const orders = await source.workflow.listOrders({ limit: 1000, offset: 0 });
    expect(byId(await target.workflow.listOrders({ limit: 1000, offset: 0 }))).toEqual(byId(orders));
    for (const order of orders)
      expect(await target.workflow.orderHistory(order.id)).toEqual(
        await source.workflow.orderHistory(order.id),
      );
    const reports = await source.workflow.listReports({});
    expect(reports.length).toBeGreaterThan(0);
    for (const report of reports)
      expect(await target.workflow.reportVersions(report.id)).toEqual(
        await source.workflow.reportVersions(report.id),
      );
    expect(await target.worklist.listScheduledSteps()).toEqual(await source.worklist.listScheduledSteps());
    expect(await target.aeTable.list()).toEqual(await source.aeTable.list());
    expect(await target.workflow.listSequences()).toEqual(await source.workflow.listSequences());
    // SOP Instance UID order differs between SQLite and a PostgreSQL collation: compared as sets.
    const ingests = async (store: WorkflowStore) =>
      (await store.listIngests({ limit: 100_000 })).toSorted((a, b) =>
        a.sopInstanceUID.localeCompare(b.sopInstanceUID),
      );
    expect(await ingests(target.workflow)).toEqual(await ingests(source.workflow));
    const allTime = [0, Date.UTC(2100, 0, 1)] as const;
    expect(await target.workflow.ingestTotals(...allTime)).toEqual(
      await source.workflow.ingestTotals(...allTime),
    );
    expect(await target.workflow.dailyVolume(...allTime)).toEqual(
      await source.workflow.dailyVolume(...allTime),
    );
    expect(await target.workflow.modalityDistribution(...allTime)).toEqual(
      await source.workflow.modalityDistribution(...allTime),
    );
    // Every event, in the source's order, re-chained by the target (whose chain still verifies).
    const sourceEvents = await source.audit.scan(0, 100_000);
    expect(sourceEvents.length).toBeGreaterThan(0);
    expect(events(await target.audit.scan(0, 100_000))).toEqual(events(sourceEvents));
    expect(await createAuditLog({ store: target.audit }).verify()).toMatchObject({
      ok: true,
      records: sourceEvents.length,
    });

    const second = await migrate(target);
    expect(second.failures).toEqual([]);
    for (const [kind, counts] of Object.entries(second.counts))
      expect({ kind, copied: counts.copied, updated: counts.updated }).toEqual({
        kind,
        copied: 0,
        updated: 0,
      });
  });

  it('brings a target up to date with later states in the source (a revoked grant, a disabled user)', async () => {
    const target = await scaleOutStores('stores_update');
    await migrate(target);
    const [grant] = (await source.access.listGrants({})).filter((g) => g.revokedAt === undefined);
    const user = (await source.access.listUsers()).find((u) => u.username !== 'admin' && !u.disabled);
    if (!grant || !user) throw new Error('the demo seeds active grants and users');
    await source.access.revokeGrant(grant.id, Date.now(), user.id);
    await source.access.updateUser({ ...user, disabled: true });

    const rerun = await migrate(target);
    expect(rerun.failures).toEqual([]);
    expect(rerun.counts.grants.updated).toBe(1);
    expect(rerun.counts.users.updated).toBe(1);
    expect(await target.access.findGrant(grant.id)).toEqual(await source.access.findGrant(grant.id));
    expect((await target.access.findUserById(user.id))?.disabled).toBe(true);
  });

  it('stops after the current record when aborted; the next run finishes', async () => {
    const target = await scaleOutStores('stores_abort');
    const stop = new AbortController();
    // Aborted as the first user is written.
    const access = new Proxy(target.access, {
      get(store, key) {
        if (key === 'insertUser')
          return async (...args: Parameters<typeof store.insertUser>) => {
            await store.insertUser(...args);
            stop.abort();
          };
        const value = Reflect.get(store, key, store);
        return typeof value === 'function' ? value.bind(store) : value;
      },
    });
    const stopped = await migrateStores({
      source,
      target: { ...target, access },
      studyInstanceUIDs: () => studyInstanceUIDs(sourceIndex),
      signal: stop.signal,
    });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.counts.users.copied).toBe(1);
    expect(await target.access.listUsers()).toHaveLength(1);
    expect(await target.workflow.listOrders({ limit: 10, offset: 0 })).toEqual([]);

    const finished = await migrate(target);
    expect(finished).toMatchObject({ interrupted: false, failures: [] });
    expect(finished.counts.users.skipped).toBe(1);
    expect(await target.access.listUsers()).toHaveLength((await source.access.listUsers()).length);
  });

  it('an order created on the target after a run stopped part way gets an accession number the source never issued', async () => {
    const target = await scaleOutStores('stores_accession');
    const stop = new AbortController();
    // Stopped before any order is copied, as the first user is written.
    const access = new Proxy(target.access, {
      get(store, key) {
        if (key === 'insertUser')
          return async (...args: Parameters<typeof store.insertUser>) => {
            await store.insertUser(...args);
            stop.abort();
          };
        const value = Reflect.get(store, key, store);
        return typeof value === 'function' ? value.bind(store) : value;
      },
    });
    const stopped = await migrateStores({
      source,
      target: { ...target, access },
      studyInstanceUIDs: () => studyInstanceUIDs(sourceIndex),
      signal: stop.signal,
    });
    expect(stopped.interrupted).toBe(true);
    expect(await target.workflow.listOrders({ limit: 10, offset: 0 })).toEqual([]);

    const issued = new Set(
      (await source.workflow.listOrders({ limit: 1000, offset: 0 })).map((order) => order.accessionNumber),
    );
    expect(issued.has('ACC202611220003')).toBe(true);
    const created = await orderService(target.workflow).create(orderInput, 'admin');
    expect(issued.has(created.accessionNumber)).toBe(false);
    // The day's counter continues where the source's stopped (the demo may have used it too).
    const day = new Date(orderDay.now());
    const counter = (await source.workflow.listSequences()).find(
      (c) => c.key === accessionFormat.counterKey(day),
    );
    expect(created.accessionNumber).toBe(accessionFormat.format(day, (counter?.value ?? 0) + 1));

    // The source's orders still fit beside it.
    const finished = await migrate(target);
    expect(finished).toMatchObject({ interrupted: false, failures: [] });
    expect(finished.counts.orders.copied).toBe(
      (await source.workflow.listOrders({ limit: 1000, offset: 0 })).length,
    );
  });

  it('keeps a counter the target has taken further, and reports ingest statistics the target recorded itself', async () => {
    const target = await scaleOutStores('stores_further');
    const [counter] = await source.workflow.listSequences();
    const [stat] = await source.workflow.listIngests({ limit: 1 });
    if (!counter || !stat) throw new Error('the source has counters and ingest statistics');
    await target.workflow.raiseSequence(counter.key, counter.value + 5);
    await target.workflow.recordIngest({ ...stat, at: stat.at + 1 });

    const summary = await migrate(target);
    expect(summary.failures).toEqual([
      { kind: 'ingestStats', id: stat.sopInstanceUID, reason: 'TARGET_CONFLICT', detail: expect.any(String) },
    ]);
    expect(summary.counts.sequences.skipped).toBe(1);
    expect(await target.workflow.nextSequence(counter.key)).toBe(counter.value + 6);
    expect(await target.workflow.listIngests({ sopInstanceUIDs: [stat.sopInstanceUID], limit: 1 })).toEqual([
      { ...stat, at: stat.at + 1 },
    ]);
  });

  it("reports the target's own admin account as a conflict and copies the rest", async () => {
    const target = await scaleOutStores('stores_admin');
    const admin = await source.access.findUserByUsername('admin');
    if (!admin) throw new Error('no admin');
    // As a scale-out node started before the migration would have made it.
    await target.access.insertUser({ ...admin, id: randomUUID() });
    const summary = await migrate(target);
    expect(summary.failures).toEqual([
      { kind: 'users', id: admin.id, reason: 'TARGET_CONFLICT', detail: expect.any(String) },
    ]);
    expect(summary.counts.users.copied).toBe((await source.access.listUsers()).length - 1);
    expect(summary.counts.orders.failed).toBe(0);
  });
});
