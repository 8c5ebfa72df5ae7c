import { randomUUID } from 'node:crypto';
import { PacsError } from '@pacskit/dicom';
import type { AccessionNumberFormat } from './accessionNumber.js';
import { createUid } from './createUid.js';
import { type OrderStatus, orderPath } from './orderStatus.js';
import type { ScheduledProcedureStepSink } from './ScheduledProcedureStepSink.js';
import type { OrderFilter, WorkflowStore } from './WorkflowStore.js';
import type { OrderHistoryEntry, OrderRecord, Urgency } from './WorkflowRecords.js';

export interface CreateOrderInput {
  patientId: string;
  patientName: string;
  patientBirthDate?: string;
  patientSex?: string;
  modality: string;
  bodyPart?: string;
  clinicalIndication?: string;
  urgency: Urgency;
  referringPhysician?: string;
  performingPhysician?: string;
  scheduledStationAETitle?: string;
  scheduledAt?: string;
  /** Use this accession number instead of generating one (HL7 ORM placer/filler numbers). */
  accessionNumber?: string;
  studyInstanceUID?: string;
}

/** MPPS status values (PS3.3 C.4.14, Performed Procedure Step Status). */
export type MppsStatus = 'IN PROGRESS' | 'COMPLETED' | 'DISCONTINUED';

export interface OrderServiceOptions {
  store: WorkflowStore;
  clock: { now(): number };
  accessionFormat: AccessionNumberFormat;
  sink?: ScheduledProcedureStepSink;
}

/**
 * Imaging orders: accession number and Study Instance UID at creation, a scheduled procedure step
 * pushed to the worklist, and the status machine driven by users, MPPS, ingest and reports.
 */
export function createOrderService(options: OrderServiceOptions) {
  const { store, clock, accessionFormat, sink } = options;

  async function nextAccessionNumber(): Promise<string> {
    const date = new Date(clock.now());
    const key = accessionFormat.counterKey(date);
    for (;;) {
      const value = accessionFormat.format(date, await store.nextSequence(key));
      // A value imported by hand (HL7, migration) may already exist: take the next one.
      if (!(await store.findOrderByAccession(value))) return value;
    }
  }

  async function move(
    order: OrderRecord,
    target: OrderStatus,
    by: string,
    reason?: string,
  ): Promise<OrderRecord> {
    const path = orderPath(order.status, target);
    if (path.length === 0) return order;
    const at = clock.now();
    const history: OrderHistoryEntry[] = [];
    let from: OrderStatus = order.status;
    for (const to of path) {
      history.push({ orderId: order.id, from, to, by, reason, at });
      from = to;
    }
    const updated: OrderRecord = { ...order, status: target, updatedAt: at };
    await store.updateOrder(updated, history);
    if (target === 'cancelled') await sink?.cancel(order.accessionNumber);
    return updated;
  }

  async function mustFind(id: string): Promise<OrderRecord> {
    const order = await store.findOrder(id);
    if (!order) throw new PacsError('NOT_FOUND', 'no such order');
    return order;
  }

  return {
    async create(input: CreateOrderInput, by: string): Promise<OrderRecord> {
      const at = clock.now();
      if (input.accessionNumber !== undefined && (await store.findOrderByAccession(input.accessionNumber))) {
        throw new PacsError('CONFLICT', 'an order with this accession number exists');
      }
      const order: OrderRecord = {
        id: randomUUID(),
        accessionNumber: input.accessionNumber ?? (await nextAccessionNumber()),
        studyInstanceUID: input.studyInstanceUID ?? createUid(),
        patientId: input.patientId,
        patientName: input.patientName,
        patientBirthDate: input.patientBirthDate,
        patientSex: input.patientSex,
        modality: input.modality,
        bodyPart: input.bodyPart,
        clinicalIndication: input.clinicalIndication,
        urgency: input.urgency,
        referringPhysician: input.referringPhysician,
        performingPhysician: input.performingPhysician,
        scheduledStationAETitle: input.scheduledStationAETitle,
        scheduledAt: input.scheduledAt ?? new Date(at).toISOString(),
        status: 'scheduled',
        createdBy: by,
        createdAt: at,
        updatedAt: at,
      };
      await store.insertOrder(order, {
        orderId: order.id,
        from: undefined,
        to: 'scheduled',
        by,
        reason: undefined,
        at,
      });
      await sink?.schedule({
        accessionNumber: order.accessionNumber,
        studyInstanceUID: order.studyInstanceUID,
        requestedProcedureID: order.accessionNumber,
        scheduledProcedureStepID: order.accessionNumber,
        patientID: order.patientId,
        patientName: order.patientName,
        patientBirthDate: order.patientBirthDate,
        patientSex: order.patientSex,
        modality: order.modality,
        scheduledStationAETitle: order.scheduledStationAETitle,
        scheduledStartAt: order.scheduledAt,
        requestedProcedureDescription: [order.modality, order.bodyPart].filter(Boolean).join(' '),
        referringPhysicianName: order.referringPhysician,
        performingPhysicianName: order.performingPhysician,
        bodyPartExamined: order.bodyPart,
        urgency: order.urgency,
      });
      return order;
    },

    get: (id: string) => store.findOrder(id),
    mustFind,
    findByAccession: (accessionNumber: string) => store.findOrderByAccession(accessionNumber),
    findByStudy: (studyInstanceUID: string) => store.findOrderByStudy(studyInstanceUID),
    list: (filter: OrderFilter) => store.listOrders(filter),
    history: (id: string) => store.orderHistory(id),

    async transition(id: string, target: OrderStatus, by: string, reason?: string): Promise<OrderRecord> {
      return move(await mustFind(id), target, by, reason);
    },

    /** MPPS N-CREATE/N-SET (PS3.4 F.7): IN PROGRESS, COMPLETED, DISCONTINUED move the order. */
    async onMppsStatus(event: { accessionNumber?: string; studyInstanceUID?: string; status: MppsStatus }) {
      const order =
        (event.accessionNumber ? await store.findOrderByAccession(event.accessionNumber) : undefined) ??
        (event.studyInstanceUID ? await store.findOrderByStudy(event.studyInstanceUID) : undefined);
      if (!order) return undefined;
      const target: OrderStatus =
        event.status === 'IN PROGRESS'
          ? 'in_progress'
          : event.status === 'COMPLETED'
            ? 'completed'
            : 'cancelled';
      if (target === 'in_progress' && order.status !== 'scheduled' && order.status !== 'arrived')
        return order;
      try {
        return await move(order, target, 'mpps', `MPPS ${event.status}`);
      } catch (error) {
        if (error instanceof PacsError && error.code === 'CONFLICT') return order; // late or repeated MPPS
        throw error;
      }
    },

    /** An instance of the order's study arrived: the acquisition is under way. */
    async onInstanceStored(event: { studyInstanceUID: string; accessionNumber?: string }) {
      const order =
        (await store.findOrderByStudy(event.studyInstanceUID)) ??
        (event.accessionNumber ? await store.findOrderByAccession(event.accessionNumber) : undefined);
      if (!order || (order.status !== 'scheduled' && order.status !== 'arrived')) return order;
      return move(order, 'in_progress', 'ingest', 'images received');
    },

    /** Reports drive the end of the life cycle: preliminary → reported, final → verified. */
    async onReportSigned(orderId: string, reportStatus: 'preliminary' | 'final', by: string) {
      const order = await store.findOrder(orderId);
      if (!order || order.status === 'cancelled' || order.status === 'verified') return order;
      return move(order, reportStatus === 'final' ? 'verified' : 'reported', by, `report ${reportStatus}`);
    },
  };
}

export type OrderService = ReturnType<typeof createOrderService>;
