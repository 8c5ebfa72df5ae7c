import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createAccessControl } from '../access/createAccessControl.js';
import { createWorkflow } from '../workflow/createWorkflow.js';
import { roles } from '../access/permissions.js';
import { orderStatuses } from '../workflow/orderStatus.js';
import { createDemoUid } from './createDemoUid.js';
import { demoPatients, demoStudies } from './demoCatalog.js';
import type { DemoSeedRecord } from './seedDemoData.js';
import { seedDemoWorkflow } from './seedDemoWorkflow.js';

let dataDir: string;
let db: Database.Database;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pacskit-demo-workflow-'));
  db = new Database(join(dataDir, 'workflow.sqlite'));
});

afterEach(async () => {
  db.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** What seedDemoData would have recorded, without storing pixels (that part has its own test). */
function imagingRecord(): DemoSeedRecord {
  return {
    version: 1,
    uidRoot: 'test-root',
    seededAt: '2026-01-15T10:00:00.000Z',
    instances: 0,
    studies: demoStudies.map((study) => ({
      key: study.key,
      patientId: demoPatients.find((patient) => patient.key === study.patientKey)?.patientId ?? '',
      studyInstanceUID: createDemoUid('test-root', study.key),
      accessionNumber: study.accessionNumber,
    })),
  };
}

function services() {
  const config = {
    jwtSecret: new TextEncoder().encode('demo-test-secret-demo-test-secret-42'),
    passwordHashCost: 10,
  };
  return {
    access: createAccessControl({ db, config }),
    workflow: createWorkflow({ db }),
  };
}

describe('seedDemoWorkflow', () => {
  test('creates an account per role, orders in every state, reports in every state and a measurement', async () => {
    const { access, workflow } = services();
    const result = await seedDemoWorkflow({
      dataDir,
      access,
      workflow,
      imaging: imagingRecord(),
      password: 'demo-pass',
    });
    expect(result.seeded).toBe(true);
    // Every role of access/permissions.ts has an account.
    expect(new Set(result.accounts.flatMap((account) => account.roles))).toEqual(new Set(roles));
    const login = await access.login('radiologist', 'demo-pass');
    expect(login.user.roles).toEqual(['RADIOLOGIST']);
    const patient = await access.login('patient', 'demo-pass');
    expect(patient.user.patientIds).toEqual(['PKD-1001']);

    const orders = await workflow.orders.list({ limit: 100, offset: 0 });
    const statuses = new Set(orders.map((order) => order.status));
    for (const status of orderStatuses) expect(statuses, `an order that is ${status}`).toContain(status);

    const reports = await workflow.reports.list({});
    expect(reports.map((report) => report.status).sort()).toEqual(['draft', 'final', 'final', 'preliminary']);
    for (const report of reports.filter((r) => r.status === 'final' || r.status === 'preliminary')) {
      expect(report.patientSummary?.length ?? 0).toBeGreaterThan(20);
    }
    const ctHead = imagingRecord().studies.find((study) => study.key === 'jane-ct-head');
    const annotations = await workflow.annotations.list({ studyInstanceUID: ctHead?.studyInstanceUID ?? '' });
    expect(annotations).toHaveLength(1);
    expect(annotations[0]?.measurement).toEqual({ value: 20.7, unit: 'mm' });
  });

  test('generates a different password per account when none is given, and seeds only once', async () => {
    const { access, workflow } = services();
    const first = await seedDemoWorkflow({ dataDir, access, workflow, imaging: imagingRecord() });
    const passwords = new Set(first.accounts.map((account) => account.password));
    expect(passwords.size).toBe(first.accounts.length);
    for (const account of first.accounts) {
      expect((await access.login(account.username, account.password)).user.username).toBe(account.username);
    }
    const ordersBefore = (await workflow.orders.list({ limit: 100, offset: 0 })).length;
    const second = await seedDemoWorkflow({ dataDir, access, workflow, imaging: imagingRecord() });
    expect(second).toEqual({ seeded: false, accounts: [] });
    expect(await workflow.orders.list({ limit: 100, offset: 0 })).toHaveLength(ordersBefore);
  });
});
