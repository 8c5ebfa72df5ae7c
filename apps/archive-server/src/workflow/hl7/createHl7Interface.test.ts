import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../audit/createAuditLog.js';
import { createWorkflow } from '../createWorkflow.js';
import { buildEr7, component, parseEr7, segment } from './er7.js';
import { createHl7Interface } from './createHl7Interface.js';
import { MllpDecoder, frameMllp } from './mllp.js';

const clock = { now: () => Date.UTC(2026, 0, 15, 9) };
const orm = (control: string, accession: string) =>
  buildEr7([
    [
      'MSH',
      'RIS',
      'HOSP',
      'PACSKIT',
      'HOSP',
      '20260115090000',
      '',
      ['ORM', 'O01'],
      `MSG-${control}`,
      'P',
      '2.5',
    ],
    ['PID', '1', '', ['PID-42', '', '', 'HOSP'], '', ['Doe', 'Jane'], '', '19800101', 'F'],
    ['PV1', '1', 'O', '', '', '', '', '', ['123', 'House', 'Gregory']],
    ['ORC', control, 'PLACER-1', accession, '', '', '', ['', '', '', '', '', 'S']],
    [
      'OBR',
      '1',
      'PLACER-1',
      accession,
      ['CTCHEST', 'CT chest'],
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      'persistent cough',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      'CT',
      '',
      '',
      ['', '', '', '', '', 'S'],
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '20260116083000',
    ],
  ]);

describe('createHl7Interface', () => {
  const db = new Database(':memory:');
  const audit = createAuditLog({ db, clock });
  const workflow = createWorkflow({ db, clock });
  const hl7 = createHl7Interface({ orders: workflow.orders, audit, clock });
  const closers: (() => void)[] = [];
  afterAll(() => {
    for (const close of closers) close();
  });

  it('creates and cancels orders from ORM^O01 and acknowledges', async () => {
    const created = parseEr7(await hl7.handleMessage(orm('NW', 'RIS0001'), { remoteAddress: '10.1.1.1' }));
    expect(component(created, segment(created, 'MSA'), 1)).toBe('AA');
    expect(component(created, segment(created, 'MSA'), 2)).toBe('MSG-NW');
    const order = await workflow.orders.findByAccession('RIS0001');
    expect(order).toMatchObject({
      patientId: 'PID-42',
      patientName: 'Doe^Jane',
      patientBirthDate: '19800101',
      patientSex: 'F',
      modality: 'CT',
      urgency: 'stat',
      referringPhysician: 'House^Gregory',
      clinicalIndication: 'persistent cough',
      scheduledAt: '2026-01-16T08:30:00.000Z',
    });
    const duplicate = parseEr7(await hl7.handleMessage(orm('NW', 'RIS0001')));
    expect(component(duplicate, segment(duplicate, 'MSA'), 1)).toBe('AE');
    const cancelled = parseEr7(await hl7.handleMessage(orm('CA', 'RIS0001')));
    expect(component(cancelled, segment(cancelled, 'MSA'), 1)).toBe('AA');
    expect((await workflow.orders.findByAccession('RIS0001'))?.status).toBe('cancelled');
    const audited = await audit.query({ limit: 10 });
    expect(audited.map((r) => [r.type, r.outcome])).toEqual([
      ['hl7.orm.created', 'success'],
      ['hl7.rejected', 'failure'],
      ['hl7.orm.cancelled', 'success'],
    ]);
  });

  it('rejects other message types and garbage', async () => {
    const adt = buildEr7([['MSH', 'X', 'Y', '', '', '20260101', '', ['ADT', 'A01'], 'M1', 'P', '2.5']]);
    expect(await hl7.handleMessage(adt)).toContain('MSA|AR|M1');
    expect(await hl7.handleMessage('not hl7')).toContain('MSA|AE|');
    expect(await hl7.handleMessage(orm('XO', 'RIS0002'))).toContain('MSA|AR|');
  });

  it('serves ORM over MLLP and sends ORU^R01 for a final report to the configured endpoint', async () => {
    const server = await hl7.listen(0);
    closers.push(() => server.close());
    const port = (server.address() as AddressInfo).port;
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(frameMllp(orm('NW', 'RIS0003'))));
      const decoder = new MllpDecoder();
      socket.on('data', (chunk: Buffer) => {
        const [message] = decoder.push(chunk);
        if (message !== undefined) {
          socket.end();
          resolve(message);
        }
      });
      socket.on('error', reject);
    });
    expect(reply).toContain('MSA|AA|MSG-NW');

    const received: string[] = [];
    const receiver = createServer((socket) => {
      const decoder = new MllpDecoder();
      socket.on('data', (chunk: Buffer) => {
        for (const message of decoder.push(chunk)) {
          received.push(message);
          socket.write(
            frameMllp(
              buildEr7([
                ['MSH', 'EHR', 'H', '', '', '20260101', '', ['ACK'], 'A1', 'P', '2.5'],
                ['MSA', 'AA', 'x'],
              ]),
            ),
          );
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    closers.push(() => receiver.close());
    const sender = createHl7Interface({
      orders: workflow.orders,
      clock,
      oruEndpoint: {
        host: '127.0.0.1',
        port: (receiver.address() as AddressInfo).port,
        receivingApplication: 'EHR',
      },
    });
    const withOru = createWorkflow({
      db,
      clock,
      onReportFinal: async (report) =>
        sender.sendOru(report, await workflow.orders.findByAccession('RIS0003')),
    });
    const order = (await withOru.orders.findByAccession('RIS0003'))!;
    const report = await withOru.reports.create(
      {
        studyInstanceUID: order.studyInstanceUID,
        patientId: order.patientId,
        orderId: order.id,
        content: { findings: 'Line one.\nLine two.', impression: 'Normal.' },
      },
      'rad',
    );
    await withOru.reports.sign(report.id, 'final', { userId: 'rad', name: 'Rad^One' });
    expect(received).toHaveLength(1);
    const oru = parseEr7(received[0]!);
    expect(component(oru, segment(oru, 'MSH'), 9, 1)).toBe('ORU');
    expect(component(oru, segment(oru, 'OBR'), 3)).toBe('RIS0003');
    expect(component(oru, segment(oru, 'OBR'), 25)).toBe('F');
    expect(oru.segments.filter((s) => s[0] === 'OBX').map((s) => component(oru, s, 5))).toEqual([
      'Line one.',
      'Line two.',
      'Normal.',
    ]);
  });
});
