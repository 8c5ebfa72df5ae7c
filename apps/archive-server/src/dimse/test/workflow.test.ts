import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AddressInfo, createServer } from 'node:net';
import {
  Client,
  Dataset,
  Scp,
  type association as dcmAssociation,
  constants,
  requests,
  responses,
} from '../dcmjsDimse.js';
import { sopClass, storageCommitmentPushModelInstance } from '../sopClasses.js';
import { SqliteWorklistStore } from '../../worklist/sqlite/SqliteWorklistStore.js';
import { WorklistService } from '../../worklist/WorklistService.js';
import { type TestServer, findscu, pydicomTestFiles, run, startTestServer } from './harness.js';
import { MemoryDimseServices } from './memoryDimseServices.js';

type AnyRequest = InstanceType<typeof requests.Request>;

/** Sends requests with dcmjs-dimse's Client (an independent SCU) and collects final statuses. */
function sendWithClient(
  server: TestServer,
  request: AnyRequest,
  options: { onEventReport?: (request: InstanceType<typeof requests.NEventReportRequest>) => void } = {},
): Promise<{ status: number; response: InstanceType<typeof responses.Response> }> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let final: InstanceType<typeof responses.Response> | undefined;
    request.on('response', (response: InstanceType<typeof responses.Response>) => {
      final = response;
    });
    client.addRequest(request);
    client.on(
      'nEventReportRequest',
      (event: InstanceType<typeof requests.NEventReportRequest>, callback: (r: unknown) => void) => {
        options.onEventReport?.(event);
        const answer = responses.NEventReportResponse.fromRequest(event);
        answer.setStatus(0);
        callback(answer);
      },
    );
    client.on('networkError', (error: Error) => reject(error));
    client.on('closed', () =>
      final ? resolve({ status: final.getStatus(), response: final }) : reject(new Error('no response')),
    );
    client.send('127.0.0.1', server.port, 'MODALITY1', server.aeTitle, {
      // Keep the association open after the N-ACTION response so the report can come back on it.
      associationLingerTimeout: options.onEventReport ? 1500 : 0,
    });
  });
}

describe('Modality Worklist, MPPS and Storage Commitment', { timeout: 60_000 }, () => {
  let server: TestServer;
  let worklist: WorklistService;
  const archive = new MemoryDimseServices();
  const store = new SqliteWorklistStore(':memory:');

  beforeAll(async () => {
    worklist = new WorklistService(store);
    const services = Object.assign(Object.create(archive) as MemoryDimseServices, {
      searchWorklist: (options: Parameters<WorklistService['searchWorklist']>[0]) =>
        worklist.searchWorklist(options),
      createPerformedProcedureStep: (
        options: Parameters<WorklistService['createPerformedProcedureStep']>[0],
      ) => worklist.createPerformedProcedureStep(options),
      updatePerformedProcedureStep: (
        options: Parameters<WorklistService['updatePerformedProcedureStep']>[0],
      ) => worklist.updatePerformedProcedureStep(options),
    });
    server = await startTestServer({ services });
    for (const [patientID, modality, date] of [
      ['W1', 'MR', '20240110'],
      ['W2', 'CT', '20240115'],
      ['W3', 'MR', '20240220'],
    ] as const) {
      await worklist.scheduleStep({
        scheduledProcedureStepID: `SPS-${patientID}`,
        patientID,
        patientName: `WORK^${patientID}`,
        accessionNumber: `ACC-${patientID}`,
        modality,
        scheduledStationAETitle: 'MODALITY1',
        scheduledProcedureStepStartDate: date,
        scheduledProcedureStepDescription: 'Head',
      });
    }
  });

  afterAll(async () => {
    await server.close();
    await store.close();
  });

  test('findscu -W: modality and date range inside the Scheduled Procedure Step Sequence', async () => {
    const { result, responses: found } = await findscu(server.port, server.aeTitle, [
      '-W',
      '-k',
      'PatientName',
      '-k',
      'PatientID',
      '-k',
      'AccessionNumber',
      '-k',
      '(0040,0100)[0].Modality=MR',
      '-k',
      '(0040,0100)[0].ScheduledProcedureStepStartDate=20240101-20240131',
      '-k',
      '(0040,0100)[0].ScheduledStationAETitle',
      '-k',
      '(0040,0100)[0].ScheduledProcedureStepID',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('[W1]');
    expect(found[0]).toContain('[SPS-W1]');
    expect(found[0]).toContain('[MODALITY1]');
    // Not requested, so not returned (PS3.4 K.4.1.1.3.2).
    expect(found[0]).not.toMatch(/ScheduledProcedureStepDescription/);
  });

  test('MPPS: N-CREATE IN PROGRESS takes the step off the worklist, N-SET COMPLETED closes it', async () => {
    const mppsUID = '2.25.99887766554433221100';
    const create = new requests.NCreateRequest(sopClass.modalityPerformedProcedureStep, mppsUID);
    create.setDataset(
      new Dataset({
        PerformedProcedureStepStatus: 'IN PROGRESS',
        PerformedStationAETitle: 'MODALITY1',
        PerformedProcedureStepID: 'PPS1',
        ScheduledStepAttributesSequence: [
          { StudyInstanceUID: '2.25.1234', ScheduledProcedureStepID: 'SPS-W2', AccessionNumber: 'ACC-W2' },
        ],
      }),
    );
    expect((await sendWithClient(server, create)).status).toBe(0);
    expect((await store.getScheduledStep('SPS-W2'))?.status).toBe('STARTED');
    const open = await worklist.searchWorklist({ keys: { '00100020': { vr: 'LO', Value: ['W2'] } } });
    expect(open).toHaveLength(0);

    const duplicate = new requests.NCreateRequest(sopClass.modalityPerformedProcedureStep, mppsUID);
    duplicate.setDataset(new Dataset({ PerformedProcedureStepStatus: 'IN PROGRESS' }));
    expect((await sendWithClient(server, duplicate)).status).toBe(0x0111);

    const complete = new requests.NSetRequest(sopClass.modalityPerformedProcedureStep, mppsUID);
    complete.setDataset(
      new Dataset({
        PerformedProcedureStepStatus: 'COMPLETED',
        PerformedSeriesSequence: [{ SeriesInstanceUID: '2.25.1234.1', Modality: 'CT' }],
      }),
    );
    expect((await sendWithClient(server, complete)).status).toBe(0);
    const performed = await store.getPerformedStep(mppsUID);
    expect(performed?.status).toBe('COMPLETED');
    expect(performed?.studyInstanceUID).toBe('2.25.1234');
    expect(performed?.dataset).toContain('2.25.1234.1');
    expect((await store.getScheduledStep('SPS-W2'))?.status).toBe('COMPLETED');

    const again = new requests.NSetRequest(sopClass.modalityPerformedProcedureStep, mppsUID);
    again.setDataset(new Dataset({ PerformedProcedureStepStatus: 'DISCONTINUED' }));
    expect((await sendWithClient(server, again)).status).toBe(0x0110);
  });

  test('MPPS: N-CREATE not IN PROGRESS is refused, N-SET of an unknown step is 0x0112', async () => {
    const create = new requests.NCreateRequest(sopClass.modalityPerformedProcedureStep, '2.25.5550001');
    create.setDataset(new Dataset({ PerformedProcedureStepStatus: 'COMPLETED' }));
    // 0x0106 invalid attribute value (PS3.7 C.4.2).
    expect((await sendWithClient(server, create)).status).toBe(0x0106);
    const set = new requests.NSetRequest(sopClass.modalityPerformedProcedureStep, '2.25.5550002');
    set.setDataset(new Dataset({ PerformedProcedureStepStatus: 'COMPLETED' }));
    expect((await sendWithClient(server, set)).status).toBe(0x0112);
  });

  test('Storage Commitment: N-ACTION, then N-EVENT-REPORT on the same association with committed and failed', async () => {
    const stored = await run('storescu', [
      '-aec',
      server.aeTitle,
      '127.0.0.1',
      String(server.port),
      join(pydicomTestFiles, 'MR_small.dcm'),
    ]);
    expect(stored.code, stored.stderr).toBe(0);
    const instance = [...archive.instances.values()][0]!;
    const action = new requests.NActionRequest(
      sopClass.storageCommitmentPushModel,
      storageCommitmentPushModelInstance,
      1,
    );
    action.setDataset(
      new Dataset({
        TransactionUID: '2.25.424242',
        ReferencedSOPSequence: [
          { ReferencedSOPClassUID: instance.sopClassUID, ReferencedSOPInstanceUID: instance.sopInstanceUID },
          { ReferencedSOPClassUID: instance.sopClassUID, ReferencedSOPInstanceUID: '2.25.404' },
        ],
      }),
    );
    let report: Record<string, unknown> | undefined;
    let eventType: number | undefined;
    const { status } = await sendWithClient(server, action, {
      onEventReport: (event) => {
        eventType = event.getEventTypeId();
        report = event.getDataset()?.getElements();
      },
    });
    expect(status).toBe(0);
    expect(eventType).toBe(2);
    expect(report?.TransactionUID).toBe('2.25.424242');
    const committed = report?.ReferencedSOPSequence as { ReferencedSOPInstanceUID: string }[];
    const failed = report?.FailedSOPSequence as { ReferencedSOPInstanceUID: string; FailureReason: number }[];
    expect(committed.map((item) => item.ReferencedSOPInstanceUID)).toEqual([instance.sopInstanceUID]);
    expect(failed.map((item) => item.ReferencedSOPInstanceUID)).toEqual(['2.25.404']);
    expect(failed[0]?.FailureReason).toBe(0x0112);
  });

  test('Storage Commitment on a new association to the requester (AE table), Event Type 1', async () => {
    const reports: { eventType: number; elements: Record<string, unknown> }[] = [];
    // The requester's SCP for the report: dcmjs-dimse's Scp on our own listening socket.
    class ReportReceiver extends Scp {
      override associationRequested(association: InstanceType<typeof dcmAssociation.Association>): void {
        for (const { context } of association.getPresentationContexts()) {
          context.setResult(constants.PresentationContextResult.Accept, context.getTransferSyntaxUids()[0]);
        }
        this.sendAssociationAccept();
      }
      override associationReleaseRequested(): void {
        this.sendAssociationReleaseResponse();
      }
      override nEventReportRequest(
        request: InstanceType<typeof requests.NEventReportRequest>,
        callback: (response: InstanceType<typeof responses.NEventReportResponse>) => void,
      ): void {
        reports.push({
          eventType: request.getEventTypeId(),
          elements: request.getDataset()?.getElements() ?? {},
        });
        const response = responses.NEventReportResponse.fromRequest(request);
        response.setStatus(0);
        callback(response);
      }
    }
    const receiver = createServer((socket) => new ReportReceiver(socket));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverPort = (receiver.address() as AddressInfo).port;
    const separate = await startTestServer({
      services: server.services,
      policy: { storageCommitmentReport: 'new-association' },
      aeTable: [{ aeTitle: 'MODALITY1', host: '127.0.0.1', port: receiverPort }],
    });
    try {
      const instance = [...archive.instances.values()][0]!;
      const action = new requests.NActionRequest(
        sopClass.storageCommitmentPushModel,
        storageCommitmentPushModelInstance,
        1,
      );
      action.setDataset(
        new Dataset({
          TransactionUID: '2.25.515151',
          ReferencedSOPSequence: [
            {
              ReferencedSOPClassUID: instance.sopClassUID,
              ReferencedSOPInstanceUID: instance.sopInstanceUID,
            },
          ],
        }),
      );
      expect((await sendWithClient(separate, action)).status).toBe(0);
      for (let attempt = 0; attempt < 100 && reports.length === 0; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(reports).toHaveLength(1);
      expect(reports[0]?.eventType).toBe(1);
      expect(reports[0]?.elements.TransactionUID).toBe('2.25.515151');
      expect(reports[0]?.elements.FailedSOPSequence).toBeUndefined();
    } finally {
      await separate.close();
      receiver.close();
    }
  });
});
