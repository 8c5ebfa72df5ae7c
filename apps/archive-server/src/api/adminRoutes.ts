import { randomBytes, randomUUID } from 'node:crypto';
import { PacsError } from '@pacskit/dicom';
import { z } from 'zod';
import { toDicomAuditMessage } from '../audit/toDicomAuditMessage.js';
import { toFhirAuditEvent } from '../audit/toFhirAuditEvent.js';
import { webhookEvents } from '../workflow/WorkflowRecords.js';
import type { ApiDependencies } from './ApiDependencies.js';
import { type ApiRoute, route } from './ApiRoute.js';
import { idSchema, isoInstantSchema, patientIdSchema, uidSchema } from './schemas.js';

/** Analytics, the audit trail (query, export, verify) and webhook subscriptions: admins only. */
export function adminRoutes(deps: ApiDependencies): ApiRoute[] {
  return [
    route({
      method: 'GET',
      url: '/api/v1/analytics',
      summary: 'Totals, modality distribution, daily volume, storage growth, query/retrieve latency',
      tag: 'admin',
      auth: 'radiology:manage',
      query: z.strictObject({ from: isoInstantSchema.optional(), to: isoInstantSchema.optional() }),
      async handler({ query }) {
        const to = query.to ? Date.parse(query.to) : deps.clock.now();
        const from = query.from ? Date.parse(query.from) : to - 30 * 24 * 3600_000;
        if (from > to) throw new PacsError('INVALID_ARGUMENT', 'from must not be after to');
        return deps.workflow.analytics(from, to);
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/audit',
      summary: 'Query the audit trail; format=fhir gives AuditEvent resources, format=dicom PS3.15 XML',
      tag: 'admin',
      auth: 'radiology:manage',
      query: z.strictObject({
        from: isoInstantSchema.optional(),
        to: isoInstantSchema.optional(),
        actor: z.string().max(200).optional(),
        patientId: patientIdSchema.optional(),
        studyInstanceUID: uidSchema.optional(),
        type: z
          .string()
          .regex(/^[a-z.-]{1,64}$/)
          .optional(),
        outcome: z.enum(['success', 'denied', 'failure']).optional(),
        afterSeq: z.coerce.number().int().min(0).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        format: z.enum(['json', 'fhir', 'dicom']).default('json'),
      }),
      audit: { type: 'audit.query', category: 'audit-log-used', action: 'R' },
      async handler({ query, reply }) {
        const { format, from, to, ...rest } = query;
        const filter = Object.fromEntries(
          Object.entries(rest).filter(([, v]) => v !== undefined),
        ) as typeof rest;
        const records = await deps.audit.query({
          ...filter,
          ...(from ? { from: Date.parse(from) } : {}),
          ...(to ? { to: Date.parse(to) } : {}),
        });
        if (format === 'fhir') {
          reply.type('application/fhir+json');
          return {
            resourceType: 'Bundle',
            type: 'collection',
            entry: records.map((r) => ({ resource: toFhirAuditEvent(r) })),
          };
        }
        if (format === 'dicom') {
          reply.type('application/xml');
          return `<?xml version="1.0" encoding="UTF-8"?>\n<AuditMessages>\n${records.map((r) => toDicomAuditMessage(r)).join('\n')}\n</AuditMessages>\n`;
        }
        return records.map((r) => ({ ...r, recordedAt: new Date(r.recordedAt).toISOString() }));
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/audit/verify',
      summary: 'Verify the hash chain of the audit trail end to end',
      tag: 'admin',
      auth: 'radiology:manage',
      audit: { type: 'audit.verify', category: 'audit-log-used', action: 'E' },
      async handler() {
        return deps.audit.verify();
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/webhooks',
      summary: 'Subscribe a URL to events (study.received, report.final, critical.finding)',
      tag: 'admin',
      auth: 'radiology:manage',
      body: z.strictObject({
        url: z.url({ protocol: /^https?$/ }).max(2048),
        events: z.array(z.enum(webhookEvents)).min(1).max(webhookEvents.length),
      }),
      successStatus: 201,
      async handler({ body }) {
        const subscription = {
          id: randomUUID(),
          url: body.url,
          events: [...new Set(body.events)],
          secret: randomBytes(32).toString('base64url'),
          active: true,
          createdAt: deps.clock.now(),
        };
        await deps.workflow.store.insertWebhook(subscription);
        // The signing secret is returned once, at creation.
        return subscription;
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/webhooks',
      summary: 'List webhook subscriptions (secrets omitted)',
      tag: 'admin',
      auth: 'radiology:manage',
      async handler() {
        return (await deps.workflow.store.listWebhooks()).map(({ secret: _secret, ...rest }) => rest);
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/webhooks/:webhookId',
      summary: 'Remove a webhook subscription',
      tag: 'admin',
      auth: 'radiology:manage',
      params: z.strictObject({ webhookId: idSchema }),
      async handler({ params }) {
        if (!(await deps.workflow.store.deleteWebhook(params.webhookId)))
          throw new PacsError('NOT_FOUND', 'not found');
        return undefined;
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/webhooks/dead-letters',
      summary: 'Deliveries that failed every retry',
      tag: 'admin',
      auth: 'radiology:manage',
      async handler() {
        return deps.workflow.webhooks.deadLetters();
      },
    }),
  ];
}
