import { randomUUID } from 'node:crypto';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { PacsError, isPacsError } from '@pacskit/dicom';
import type { AuditLog } from '../../audit/createAuditLog.js';
import type { OrderService } from '../createOrderService.js';
import type { OrderRecord, ReportRecord, Urgency } from '../WorkflowRecords.js';
import { buildEr7, component, type Er7Message, parseEr7, segment } from './er7.js';
import { MllpDecoder, frameMllp } from './mllp.js';

export interface Hl7InterfaceOptions {
  orders: OrderService;
  audit?: AuditLog;
  clock?: { now(): number };
  /** MSH-3/MSH-4 of what we send (default PACSKIT / PACSKIT). */
  sendingApplication?: string;
  sendingFacility?: string;
  /** Where ORU^R01 goes when a report is final ("host:port"), e.g. the RIS or EHR interface engine. */
  oruEndpoint?: { host: string; port: number; receivingApplication?: string; receivingFacility?: string };
  /** Milliseconds to wait for the ORU's ACK (default 10 s). */
  ackTimeoutMs?: number;
}

function hl7Timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** HL7 TS (YYYYMMDD[HHMM[SS]]) → ISO instant, read as UTC. */
function isoFromHl7(ts: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?/.exec(ts);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** OBR-27.6 / ORC-7.6 priority: S (stat), A (ASAP) → urgent, anything else routine. */
function urgency(priority: string): Urgency {
  return priority === 'S' ? 'stat' : priority === 'A' ? 'urgent' : 'routine';
}

const uidPattern = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/;

/**
 * The optional HL7 v2 interface: an MLLP listener where ORM^O01 creates (ORC-1 NW) and cancels
 * (CA, DC) orders, answered with an ACK (AA, AE for bad content, AR for unsupported messages),
 * and an ORU^R01 sender for final reports. A minimal ER7 codec is written here: the maintained
 * Node HL7 libraries (node-hl7-client 4) need Node 22.
 */
export function createHl7Interface(options: Hl7InterfaceOptions) {
  const clock = options.clock ?? { now: () => Date.now() };
  const sendingApplication = options.sendingApplication ?? 'PACSKIT';
  const sendingFacility = options.sendingFacility ?? 'PACSKIT';

  function ack(request: Er7Message | undefined, code: 'AA' | 'AE' | 'AR', text: string): string {
    const msh = request ? segment(request, 'MSH') : undefined;
    return buildEr7([
      [
        'MSH',
        sendingApplication,
        sendingFacility,
        request ? component(request, msh, 3) : '',
        request ? component(request, msh, 4) : '',
        hl7Timestamp(clock.now()),
        '',
        ['ACK', request ? component(request, msh, 9, 2) : ''],
        randomUUID().replace(/-/g, '').slice(0, 20),
        'P',
        request ? component(request, msh, 12) || '2.5' : '2.5',
      ],
      ['MSA', code, request ? component(request, msh, 10) : '', text],
    ]);
  }

  async function applyOrm(
    message: Er7Message,
  ): Promise<{ order: OrderRecord; action: 'created' | 'cancelled' }> {
    const pid = segment(message, 'PID');
    const orc = segment(message, 'ORC');
    const obr = segment(message, 'OBR');
    const control = component(message, orc, 1);
    const accession = component(message, orc, 3) || component(message, obr, 3) || component(message, obr, 18);
    if (control === 'CA' || control === 'DC' || control === 'OC') {
      const order = accession ? await options.orders.findByAccession(accession) : undefined;
      if (!order) throw new PacsError('NOT_FOUND', 'no order with this filler order number');
      return {
        order: await options.orders.transition(order.id, 'cancelled', 'hl7', `ORM ${control}`),
        action: 'cancelled',
      };
    }
    if (control !== 'NW')
      throw new PacsError('NOT_SUPPORTED', 'only NW, CA, DC and OC order controls are handled');
    const patientId = component(message, pid, 3);
    const family = component(message, pid, 5, 1);
    const modality = component(message, obr, 24) || component(message, obr, 4, 1).slice(0, 16);
    if (!patientId || !family || !/^[A-Z0-9_]{1,16}$/.test(modality)) {
      throw new PacsError('INVALID_ARGUMENT', 'ORM needs PID-3, PID-5 and a modality in OBR-24');
    }
    if (accession && !/^[\x20-\x5b\x5d-\x7e]{1,16}$/.test(accession)) {
      throw new PacsError('INVALID_ARGUMENT', 'the filler order number is not a valid accession number');
    }
    const given = component(message, pid, 5, 2);
    const birth = component(message, pid, 7).slice(0, 8);
    const sex = component(message, pid, 8);
    const referringFamily = component(message, segment(message, 'PV1'), 8, 2);
    const referringGiven = component(message, segment(message, 'PV1'), 8, 3);
    const zds = component(message, segment(message, 'ZDS'), 1);
    const scheduledAt = isoFromHl7(component(message, obr, 36) || component(message, obr, 7));
    const order = await options.orders.create(
      {
        patientId,
        patientName: given ? `${family}^${given}` : family,
        ...(/^\d{8}$/.test(birth) ? { patientBirthDate: birth } : {}),
        ...(sex === 'M' || sex === 'F' || sex === 'O' ? { patientSex: sex } : {}),
        modality,
        ...(component(message, obr, 4, 2)
          ? { clinicalIndication: component(message, obr, 13) || component(message, obr, 4, 2) }
          : {}),
        urgency: urgency(component(message, obr, 27, 6) || component(message, orc, 7, 6)),
        ...(referringFamily
          ? { referringPhysician: referringGiven ? `${referringFamily}^${referringGiven}` : referringFamily }
          : {}),
        ...(scheduledAt ? { scheduledAt } : {}),
        ...(accession ? { accessionNumber: accession } : {}),
        ...(uidPattern.test(zds) && zds.length <= 64 ? { studyInstanceUID: zds } : {}),
      },
      'hl7',
    );
    return { order, action: 'created' };
  }

  return {
    /** Handles one ER7 message and returns the ACK to send back. Never throws. */
    async handleMessage(text: string, source: { remoteAddress?: string } = {}): Promise<string> {
      let message: Er7Message | undefined;
      try {
        message = parseEr7(text);
        const type = `${component(message, segment(message, 'MSH'), 9, 1)}^${component(message, segment(message, 'MSH'), 9, 2)}`;
        if (type !== 'ORM^O01') return ack(message, 'AR', 'unsupported message type');
        const { order, action } = await applyOrm(message);
        await options.audit?.record({
          type: `hl7.orm.${action}`,
          category: 'order-record',
          action: action === 'created' ? 'C' : 'U',
          outcome: 'success',
          actor: `hl7:${component(message, segment(message, 'MSH'), 3) || 'unknown'}`,
          protocol: 'hl7',
          ...(source.remoteAddress ? { sourceAddress: source.remoteAddress } : {}),
          patientId: order.patientId,
          studyInstanceUID: order.studyInstanceUID,
          detail: { orderId: order.id },
        });
        return ack(message, 'AA', order.accessionNumber);
      } catch (error) {
        const code = isPacsError(error) ? error.code : 'INTERNAL';
        await options.audit
          ?.record({
            type: 'hl7.rejected',
            category: 'order-record',
            action: 'E',
            outcome: 'failure',
            actor: 'hl7',
            protocol: 'hl7',
            ...(source.remoteAddress ? { sourceAddress: source.remoteAddress } : {}),
            detail: { code },
          })
          .catch(() => undefined);
        return ack(
          message,
          code === 'NOT_SUPPORTED' ? 'AR' : 'AE',
          isPacsError(error) ? error.message : 'internal error',
        );
      }
    },

    /** Starts the MLLP listener on host:port (127.0.0.1 by default); resolves once listening. */
    async listen(port: number, host = '127.0.0.1'): Promise<Server> {
      const server = createServer((socket: Socket) => {
        socket.setNoDelay(true);
        const decoder = new MllpDecoder();
        let chain = Promise.resolve();
        socket.on('data', (chunk: Buffer) => {
          let messages: string[];
          try {
            messages = decoder.push(chunk);
          } catch {
            socket.destroy();
            return;
          }
          for (const text of messages) {
            chain = chain.then(async () => {
              const reply = await this.handleMessage(
                text,
                socket.remoteAddress ? { remoteAddress: socket.remoteAddress } : {},
              );
              if (!socket.destroyed) socket.write(frameMllp(reply));
            });
          }
        });
        socket.on('error', () => socket.destroy());
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      return server;
    },

    /** ORU^R01 for a final or amended report (OBR-25 F or C), findings and impression as OBX TX. */
    buildOru(report: ReportRecord, order: OrderRecord | undefined): string {
      const endpoint = options.oruEndpoint;
      const lines = (label: string, text: string) =>
        text.split(/\r\n|\r|\n/).map((line) => [label, line] as const);
      const observations = [
        ...lines('Findings', report.findings),
        ...lines('Impression', report.impression),
        ...(report.addendum ? lines('Addendum', report.addendum) : []),
      ];
      const [family, given] = (order?.patientName ?? '').split('^');
      return buildEr7([
        [
          'MSH',
          sendingApplication,
          sendingFacility,
          endpoint?.receivingApplication ?? '',
          endpoint?.receivingFacility ?? '',
          hl7Timestamp(clock.now()),
          '',
          ['ORU', 'R01', 'ORU_R01'],
          randomUUID().replace(/-/g, '').slice(0, 20),
          'P',
          '2.5',
        ],
        ['PID', '1', '', [report.patientId], '', [family ?? '', given ?? '']],
        ['ORC', 'RE', '', order?.accessionNumber ?? ''],
        [
          'OBR',
          '1',
          '',
          order?.accessionNumber ?? '',
          [order?.modality ?? '', [order?.modality, order?.bodyPart].filter(Boolean).join(' ')],
          '',
          '',
          hl7Timestamp(report.signedAt ?? clock.now()),
          ...Array<string>(17).fill(''),
          report.status === 'amended' ? 'C' : 'F',
        ],
        ...observations.map(([label, text], i): [string, ...(string | string[])[]] => [
          'OBX',
          String(i + 1),
          'TX',
          ['', label],
          '',
          text,
          '',
          '',
          '',
          '',
          '',
          report.status === 'amended' ? 'C' : 'F',
        ]),
      ]);
    },

    /** Sends the report's ORU^R01 to the configured endpoint and waits for an AA/CA acknowledgement. */
    async sendOru(report: ReportRecord, order: OrderRecord | undefined): Promise<void> {
      const endpoint = options.oruEndpoint;
      if (!endpoint) return;
      const message = this.buildOru(report, order);
      await new Promise<void>((resolve, reject) => {
        const socket = connect(endpoint.port, endpoint.host);
        socket.setNoDelay(true);
        const decoder = new MllpDecoder();
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new PacsError('TIMEOUT', 'no HL7 acknowledgement'));
        }, options.ackTimeoutMs ?? 10_000);
        socket.on('connect', () => socket.write(frameMllp(message)));
        socket.on('data', (chunk: Buffer) => {
          const [reply] = decoder.push(chunk);
          if (reply === undefined) return;
          clearTimeout(timer);
          socket.end();
          const parsed = parseEr7(reply);
          const code = component(parsed, segment(parsed, 'MSA'), 1);
          if (code === 'AA' || code === 'CA') resolve();
          else reject(new PacsError('UNAVAILABLE', `HL7 receiver answered ${code || 'no MSA'}`));
        });
        socket.on('error', (error) => {
          clearTimeout(timer);
          reject(new PacsError('UNAVAILABLE', 'HL7 receiver unreachable', { cause: error }));
        });
      });
    },
  };
}

export type Hl7Interface = ReturnType<typeof createHl7Interface>;
