import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { type OpenedTestStores, storeBackends } from '../adapters/contract/storeBackends.js';
import type { AuditEventInput } from './AuditEvent.js';
import { createAuditLog } from './createAuditLog.js';
import { toDicomAuditMessage } from './toDicomAuditMessage.js';
import { toFhirAuditEvent } from './toFhirAuditEvent.js';

const clock = {
  t: Date.UTC(2026, 0, 1),
  now() {
    return this.t;
  },
};
const event = (n: number, extra: Partial<AuditEventInput> = {}): AuditEventInput => ({
  type: 'study.read',
  action: 'R',
  category: 'instances-accessed',
  outcome: 'success',
  actor: `user:${n}`,
  protocol: 'http',
  operation: '/api/v1/studies/:uid',
  patientId: 'PID-1',
  studyInstanceUID: `1.2.${n}`,
  ...extra,
});

// The same cases on the embedded SQLite file and on PostgreSQL (the scale-out mode).
describe.each(storeBackends())('createAuditLog on $name', (backend) => {
  let stores: OpenedTestStores;
  let store: OpenedTestStores['audit'];
  beforeEach(async () => {
    clock.t = Date.UTC(2026, 0, 1);
    stores = await backend.open();
    store = stores.audit;
  }, 30_000);

  it('chains records and verifies the whole chain', async () => {
    const log = createAuditLog({ store, clock });
    expect(await log.verify()).toEqual({ ok: true, records: 0, headHash: '0'.repeat(64) });
    const first = await log.record(event(1));
    const second = await log.record(event(2, { outcome: 'denied' }));
    expect(second.previousHash).toBe(first.hash);
    expect(second.seq).toBe(2);
    const verified = await log.verify();
    expect(verified).toEqual({ ok: true, records: 2, headHash: second.hash });
    expect((await log.query({ outcome: 'denied', limit: 10 })).map((r) => r.seq)).toEqual([2]);
    expect((await log.query({ studyInstanceUID: '1.2.1', limit: 10 })).map((r) => r.seq)).toEqual([1]);
  });

  it('groups concurrent records into one commit, in call order, still chained', async () => {
    const log = createAuditLog({ store, clock });
    const records = await Promise.all(Array.from({ length: 100 }, (_, n) => log.record(event(n))));
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 100 }, (_, n) => n + 1));
    expect(records.map((r) => r.actor)).toEqual(Array.from({ length: 100 }, (_, n) => `user:${n}`));
    expect(await log.verify()).toMatchObject({ ok: true, records: 100 });
  });

  it('writes one batch at a time: records made while one is written wait for the next (concurrent batches each held a pooled connection waiting on the chain lock)', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const counting: typeof store = Object.assign(Object.create(store), {
      appendMany: async (events: Parameters<typeof store.appendMany>[0]) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        try {
          return await store.appendMany(events);
        } finally {
          inFlight--;
        }
      },
    });
    const log = createAuditLog({ store: counting, clock });
    const pending = [];
    for (let n = 0; n < 20; n++) {
      pending.push(log.record(event(n)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const records = await Promise.all(pending);
    expect(mostInFlight).toBe(1);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    expect(await log.verify()).toMatchObject({ ok: true, records: 20 });
  });

  it('writes a batch larger than one multi-row INSERT (1,500 records), still chained', async () => {
    const log = createAuditLog({ store, clock });
    const records = await Promise.all(Array.from({ length: 1500 }, (_, n) => log.record(event(n))));
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 1500 }, (_, n) => n + 1));
    expect(await log.verify()).toMatchObject({ ok: true, records: 1500 });
  });

  it('refuses UPDATE at the SQL level', async () => {
    const log = createAuditLog({ store, clock });
    await log.record(event(1));
    await expect(stores.sql("UPDATE audit_events SET actor = 'x'")).rejects.toThrow(/append-only/);
  });

  it('keeps one chain when two writers (two processes on PostgreSQL) append at once', async () => {
    const other = stores.openAnother ? (await stores.openAnother()).audit : store;
    const first = createAuditLog({ store, clock });
    const second = createAuditLog({ store: other, clock });
    const records = await Promise.all(
      Array.from({ length: 60 }, (_, n) => (n % 2 === 0 ? first : second).record(event(n))),
    );
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 60 }, (_, n) => n + 1),
    );
    expect(await first.verify()).toMatchObject({ ok: true, records: 60 });
    expect(await second.verify()).toMatchObject({ ok: true, records: 60 });
  });

  it('detects an edited record, an edited hash and a removed record', async () => {
    const log = createAuditLog({ store, clock });
    for (let n = 1; n <= 5; n++) await log.record(event(n));
    await stores.sql(
      backend.name === 'SQLite'
        ? 'DROP TRIGGER audit_events_no_update'
        : 'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update',
    );
    const body = async (seq: number) =>
      JSON.parse(
        ((await stores.sql('SELECT body FROM audit_events WHERE seq = $1', [seq]))[0] as { body: string })
          .body,
      );

    const original = await body(3);
    await stores.sql('UPDATE audit_events SET body = $1 WHERE seq = 3', [
      JSON.stringify({ ...original, actor: 'user:evil' }),
    ]);
    expect(await log.verify()).toMatchObject({ ok: false, brokenAtSeq: 3, reason: 'hash-mismatch' });

    // Re-hashing the edited record does not help: the next record's link breaks.
    const { chainHash } = await import('./chainHash.js');
    const { hash: _old, ...rest } = { ...original, actor: 'user:evil' };
    await stores.sql('UPDATE audit_events SET body = $1 WHERE seq = 3', [
      JSON.stringify({ ...rest, hash: chainHash(rest) }),
    ]);
    expect(await log.verify()).toMatchObject({ ok: false, brokenAtSeq: 4, reason: 'chain-broken' });

    await stores.sql('UPDATE audit_events SET body = $1 WHERE seq = 3', [JSON.stringify(original)]);
    expect((await log.verify()).ok).toBe(true);
    await stores.sql('DELETE FROM audit_events WHERE seq = 2');
    expect(await log.verify()).toMatchObject({ ok: false, brokenAtSeq: 2, reason: 'sequence-gap' });
  });

  it('applies retention and keeps the remaining chain verifiable from the anchor', async () => {
    const log = createAuditLog({ store, clock, retentionDays: 30 });
    await log.record(event(1));
    await log.record(event(2));
    clock.t += 40 * 24 * 3600_000;
    const kept = await log.record(event(3));
    expect(await log.applyRetention()).toBe(2);
    expect(await log.verify()).toEqual({ ok: true, records: 1, headHash: kept.hash });
    const next = await log.record(event(4));
    expect(next.seq).toBe(4);
    expect((await log.verify()).ok).toBe(true);
  });

  it('exports FHIR AuditEvent and DICOM PS3.15 audit messages', async () => {
    const log = createAuditLog({ store, clock });
    const record = await log.record(
      event(7, { outcome: 'denied', sourceAddress: '127.0.0.1', actor: 'user:"<x>"' }),
    );
    const fhir = toFhirAuditEvent(record);
    expect(fhir).toMatchObject({
      resourceType: 'AuditEvent',
      type: { code: '110103' },
      action: 'R',
      outcome: '4',
      recorded: '2026-01-01T00:00:00.000Z',
    });
    const xml = toDicomAuditMessage(record);
    expect(xml).toContain('EventActionCode="R"');
    expect(xml).toContain('EventOutcomeIndicator="4"');
    expect(xml).toContain('csd-code="110180"');
    expect(xml).toContain('UserID="user:&#34;&#60;x&#62;&#34;"');
    expect(xml).toContain('NetworkAccessPointID="127.0.0.1"');
  });
});

describe('dimseAuditEvent', () => {
  it('maps DIMSE operations and statuses to audit events', async () => {
    const { dimseAuditEvent } = await import('./dimseAuditEvent.js');
    expect(
      dimseAuditEvent({
        operation: 'C-FIND',
        callingAE: 'MODALITY',
        remoteAddress: '10.0.0.5',
        status: 0xff00,
      }),
    ).toMatchObject({
      type: 'dimse.c-find',
      category: 'query',
      outcome: 'success',
      actor: 'ae:MODALITY',
      protocol: 'dimse',
      detail: { status: '0xff00' },
    });
    expect(
      dimseAuditEvent({ operation: 'C-MOVE', callingAE: 'X', status: 0xa801, studyInstanceUID: '1.2' })
        .outcome,
    ).toBe('denied');
    expect(dimseAuditEvent({ operation: 'C-STORE', callingAE: 'X', status: 0xa900 }).outcome).toBe('failure');
    expect(dimseAuditEvent({ operation: 'A-ASSOCIATE', callingAE: 'EVIL', status: 0x0001 }).outcome).toBe(
      'denied',
    );
    const log = createAuditLog({ db: new Database(':memory:'), clock });
    await log.record(
      dimseAuditEvent({ operation: 'C-GET', callingAE: 'VIEWER', status: 0, patientId: 'PID-1' }),
    );
    expect((await log.verify()).ok).toBe(true);
  });
});
