import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteWorklistStore } from '../worklist/sqlite/SqliteWorklistStore.js';
import { WorklistService } from '../worklist/WorklistService.js';
import { createWorkflow } from './createWorkflow.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('orders → WorklistService (the sink main.ts wires into createWorkflow)', () => {
  it('puts each order on the real modality worklist (C-FIND matching) and discontinues it on cancel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pacskit-wl-'));
    dirs.push(dir);
    const worklistStore = new SqliteWorklistStore(join(dir, 'index.sqlite'));
    const worklist = new WorklistService(worklistStore);
    const workflow = createWorkflow({
      db: new Database(join(dir, 'index.sqlite')),
      clock: { now: () => Date.UTC(2026, 4, 2, 14, 5) },
      sink: worklist,
    });
    const order = await workflow.orders.create(
      {
        patientId: 'PID-7',
        patientName: 'Doe^John',
        patientSex: 'M',
        modality: 'MR',
        bodyPart: 'HEAD',
        urgency: 'routine',
        scheduledStationAETitle: 'MR1',
      },
      'user:1',
    );
    const items = await worklist.searchWorklist({
      keys: {
        '00080050': { vr: 'SH', Value: [order.accessionNumber] },
        '00400100': {
          vr: 'SQ',
          Value: [{ '00080060': { vr: 'CS', Value: ['MR'] }, '00400002': { vr: 'DA', Value: ['20260502'] } }],
        },
      },
    });
    expect(items).toHaveLength(1);
    expect(items[0]?.['0020000D']?.Value).toEqual([order.studyInstanceUID]);
    const steps = await worklist.listScheduledSteps();
    expect(
      steps.map((s) => [s.scheduledProcedureStepID, s.scheduledProcedureStepStartTime, s.status]),
    ).toEqual([[order.accessionNumber, '140500', 'SCHEDULED']]);
    await workflow.orders.transition(order.id, 'cancelled', 'user:1', 'patient did not come');
    expect((await worklist.listScheduledSteps())[0]?.status).toBe('DISCONTINUED');
    await worklistStore.close();
  });
});
