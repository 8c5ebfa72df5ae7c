import { PacsError } from '@pacskit/dicom';
import { z } from 'zod';
import { isStudyVisible } from '../access/PatientScope.js';
import { orderStatuses } from '../workflow/orderStatus.js';
import type { OrderRecord } from '../workflow/WorkflowRecords.js';
import type { ApiDependencies } from './ApiDependencies.js';
import { type ApiRoute, route } from './ApiRoute.js';
import {
  idSchema,
  isoInstantSchema,
  limitSchema,
  modalitySchema,
  offsetSchema,
  patientIdSchema,
  personNameSchema,
  shortTextSchema,
} from './schemas.js';
import { actorId, requirePrincipal, requireVisibleRecord } from './studyAccess.js';

const orderParams = z.strictObject({ orderId: idSchema });

/** Imaging orders: create (accession number + study UID + worklist step), list, read, move. */
export function orderRoutes(deps: ApiDependencies): ApiRoute[] {
  const orders = deps.workflow.orders;
  async function visibleOrder(
    principal: Parameters<typeof requireVisibleRecord>[0],
    id: string,
    audit: Parameters<typeof requireVisibleRecord>[2],
  ): Promise<OrderRecord> {
    const order = await orders.get(id);
    requireVisibleRecord(principal, order, audit);
    audit.detail = { orderId: id };
    return order!;
  }
  return [
    route({
      method: 'POST',
      url: '/api/v1/orders',
      summary: 'Create an imaging order; it gets an accession number, a study UID and a worklist entry',
      tag: 'orders',
      auth: 'radiology:create',
      body: z.strictObject({
        patientId: patientIdSchema,
        patientName: personNameSchema,
        patientBirthDate: z
          .string()
          .regex(/^\d{8}$/, 'DA: YYYYMMDD')
          .optional(),
        patientSex: z.enum(['M', 'F', 'O']).optional(),
        modality: modalitySchema,
        bodyPart: z
          .string()
          .regex(/^[A-Z0-9_ ]{1,16}$/, 'CS: upper case, at most 16')
          .optional(),
        clinicalIndication: shortTextSchema.optional(),
        urgency: z.enum(['routine', 'urgent', 'stat']).default('routine'),
        referringPhysician: personNameSchema.optional(),
        performingPhysician: personNameSchema.optional(),
        scheduledStationAETitle: z
          .string()
          .regex(/^[\x20-\x5b\x5d-\x7e]{1,16}$/, 'AE title')
          .optional(),
        scheduledAt: isoInstantSchema.optional(),
      }),
      successStatus: 201,
      audit: { type: 'order.create', category: 'order-record', action: 'C' },
      async handler({ body, principal, audit }) {
        const input = Object.fromEntries(
          Object.entries(body).filter(([, v]) => v !== undefined),
        ) as typeof body;
        const order = await orders.create(input, actorId(requirePrincipal(principal)));
        audit.patientId = order.patientId;
        audit.studyInstanceUID = order.studyInstanceUID;
        audit.detail = { orderId: order.id };
        return order;
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/orders',
      summary: 'List orders visible to the caller',
      tag: 'orders',
      auth: 'radiology:view',
      query: z.strictObject({
        status: z.enum(orderStatuses).optional(),
        patientId: patientIdSchema.optional(),
        accessionNumber: z.string().min(1).max(16).optional(),
        limit: limitSchema,
        offset: offsetSchema,
      }),
      audit: { type: 'order.search', category: 'query', action: 'E' },
      async handler({ query, principal, audit }) {
        const p = requirePrincipal(principal);
        if (query.patientId) audit.patientId = query.patientId;
        const rows = await orders.list({
          limit: query.limit,
          offset: query.offset,
          ...(query.status ? { status: query.status } : {}),
          ...(query.patientId ? { patientId: query.patientId } : {}),
          ...(query.accessionNumber ? { accessionNumber: query.accessionNumber } : {}),
        });
        return rows.filter((o) =>
          isStudyVisible(p.patientScope, { PatientID: o.patientId, StudyInstanceUID: o.studyInstanceUID }),
        );
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/orders/:orderId',
      summary: 'Read an order',
      tag: 'orders',
      auth: 'radiology:view',
      params: orderParams,
      audit: { type: 'order.read', category: 'order-record', action: 'R' },
      async handler({ params, principal, audit }) {
        return visibleOrder(requirePrincipal(principal), params.orderId, audit);
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/orders/:orderId/history',
      summary: 'Status history of an order',
      tag: 'orders',
      auth: 'radiology:view',
      params: orderParams,
      audit: { type: 'order.history', category: 'order-record', action: 'R' },
      async handler({ params, principal, audit }) {
        await visibleOrder(requirePrincipal(principal), params.orderId, audit);
        return (await orders.history(params.orderId)).map((h) => ({
          ...h,
          at: new Date(h.at).toISOString(),
        }));
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/orders/:orderId/status',
      summary: 'Move an order (arrived, in_progress, completed, cancelled, …); 409 when not allowed',
      tag: 'orders',
      auth: 'radiology:edit',
      params: orderParams,
      body: z.strictObject({ status: z.enum(orderStatuses), reason: shortTextSchema.optional() }),
      audit: { type: 'order.status', category: 'order-record', action: 'U' },
      async handler({ params, body, principal, audit }) {
        const p = requirePrincipal(principal);
        await visibleOrder(p, params.orderId, audit);
        if (body.status === 'reported' || body.status === 'verified') {
          throw new PacsError('CONFLICT', 'reported and verified follow report signatures');
        }
        const order = await orders.transition(params.orderId, body.status, actorId(p), body.reason);
        audit.detail = { orderId: order.id, status: order.status };
        return order;
      },
    }),
  ];
}
