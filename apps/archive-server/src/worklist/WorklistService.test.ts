import { beforeAll, describe, expect, test } from 'vitest';
import { type OpenedTestStores, storeBackends } from '../adapters/contract/storeBackends.js';
import { type PerformedStepStatusEvent, WorklistService } from './WorklistService.js';

// The same cases on the embedded SQLite file and on PostgreSQL (the scale-out mode).
describe.each(storeBackends())(
  'WorklistService on $name as the workflow sink and MPPS recorder',
  (backend) => {
    let stores: OpenedTestStores;
    let service: WorklistService;
    const events: PerformedStepStatusEvent[] = [];
    const recordEvent = async (event: PerformedStepStatusEvent) => {
      events.push(event);
    };
    beforeAll(async () => {
      stores = await backend.open();
      service = new WorklistService(stores.worklist, { onPerformedStepStatus: recordEvent });
    }, 30_000);

    test('an order step pushed by the workflow is served by MWL matching; cancel removes it', async () => {
      await service.schedule({
        accessionNumber: 'A100',
        studyInstanceUID: '2.25.100',
        requestedProcedureID: 'RP100',
        scheduledProcedureStepID: 'SPS100',
        patientID: 'P100',
        patientName: 'ROE^ANN',
        patientBirthDate: '19800101',
        patientSex: 'F',
        modality: 'CT',
        scheduledStationAETitle: 'CT1',
        scheduledStartAt: '2024-05-06T07:08:09Z',
        requestedProcedureDescription: 'CT chest',
        referringPhysicianName: undefined,
        performingPhysicianName: undefined,
        bodyPartExamined: 'CHEST',
        urgency: 'routine',
      } as Parameters<WorklistService['schedule']>[0]);
      const found = await service.searchWorklist({
        keys: {
          '00080050': { vr: 'SH', Value: ['A100'] },
          '00400100': {
            vr: 'SQ',
            Value: [{ '00400002': { vr: 'DA', Value: ['20240506'] }, '00400003': { vr: 'TM' } }],
          },
        },
      });
      expect(found).toHaveLength(1);
      const item = found[0]?.['00400100']?.Value?.[0] as Record<string, { Value?: unknown[] }>;
      expect(item['00400003']?.Value).toEqual(['070809']);
      await service.cancel('A100');
      expect(
        await service.searchWorklist({ keys: { '00080050': { vr: 'SH', Value: ['A100'] } } }),
      ).toHaveLength(0);
    });

    test('MPPS N-CREATE and N-SET notify the workflow with accession and study', async () => {
      const scheduled = {
        '00400270': {
          vr: 'SQ' as const,
          Value: [
            {
              '00080050': { vr: 'SH' as const, Value: ['A200'] },
              '0020000D': { vr: 'UI' as const, Value: ['2.25.200'] },
            },
          ],
        },
      };
      await service.createPerformedProcedureStep({
        sopInstanceUID: '2.25.201',
        dataset: { ...scheduled, '00400252': { vr: 'CS', Value: ['IN PROGRESS'] } },
      });
      await service.updatePerformedProcedureStep({
        sopInstanceUID: '2.25.201',
        dataset: { '00400252': { vr: 'CS', Value: ['DISCONTINUED'] } },
      });
      expect(events).toEqual([
        { accessionNumber: 'A200', studyInstanceUID: '2.25.200', status: 'IN PROGRESS' },
        { accessionNumber: 'A200', studyInstanceUID: '2.25.200', status: 'DISCONTINUED' },
      ]);
      await expect(
        service.updatePerformedProcedureStep({
          sopInstanceUID: '2.25.201',
          dataset: { '00400252': { vr: 'CS', Value: ['COMPLETED'] } },
        }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    test('a second N-CREATE of one MPPS SOP Instance UID, through another process, is a CONFLICT', async () => {
      const other = new WorklistService(
        stores.openAnother ? (await stores.openAnother()).worklist : stores.worklist,
        { onPerformedStepStatus: recordEvent },
      );
      const dataset = { '00400252': { vr: 'CS' as const, Value: ['IN PROGRESS'] } };
      const outcomes = await Promise.allSettled([
        service.createPerformedProcedureStep({ sopInstanceUID: '2.25.301', dataset }),
        other.createPerformedProcedureStep({ sopInstanceUID: '2.25.301', dataset }),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { code: 'CONFLICT' } });
      // The one from the earlier test and this one, in creation order, whichever process reads.
      expect((await other.listPerformedSteps()).map((step) => step.sopInstanceUID)).toEqual([
        '2.25.201',
        '2.25.301',
      ]);
    });
  },
);
