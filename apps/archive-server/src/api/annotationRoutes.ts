import { z } from 'zod';
import { annotationKinds } from '../workflow/WorkflowRecords.js';
import type { ApiDependencies } from './ApiDependencies.js';
import { type ApiRoute, route } from './ApiRoute.js';
import { idSchema, shortTextSchema, uidSchema } from './schemas.js';
import { actorId, isStaff, requirePrincipal, visibleStudy } from './studyAccess.js';

const coordinate = z.number().finite().min(-1e6).max(1e6);

/** Annotations on instances, per user, in image coordinates (SCOORD, PS3.3 C.18.6). */
export function annotationRoutes(deps: ApiDependencies): ApiRoute[] {
  const annotations = deps.workflow.annotations;
  return [
    route({
      method: 'POST',
      url: '/api/v1/annotations',
      summary: 'Save an annotation (text, arrow, circle, ellipse, length, angle, ROI) on an instance',
      tag: 'annotations',
      auth: 'radiology:annotate',
      body: z.strictObject({
        id: idSchema.optional(),
        studyInstanceUID: uidSchema,
        seriesInstanceUID: uidSchema,
        sopInstanceUID: uidSchema,
        frameNumber: z.number().int().min(1).max(100_000).optional(),
        kind: z.enum(annotationKinds),
        points: z
          .array(z.tuple([coordinate, coordinate]))
          .min(1)
          .max(1024),
        text: shortTextSchema.optional(),
        measurement: z
          .strictObject({
            value: z.number().finite(),
            unit: z.string().regex(/^[A-Za-z0-9%/°^.{}[\]-]{1,16}$/),
          })
          .optional(),
      }),
      successStatus: 201,
      audit: { type: 'annotation.save', category: 'patient-record', action: 'C' },
      async handler({ body, principal, audit }) {
        const p = requirePrincipal(principal);
        await visibleStudy(deps, p, body.studyInstanceUID, audit);
        const saved = await annotations.save({
          ...(body.id ? { id: body.id } : {}),
          userId: actorId(p),
          studyInstanceUID: body.studyInstanceUID,
          seriesInstanceUID: body.seriesInstanceUID,
          sopInstanceUID: body.sopInstanceUID,
          frameNumber: body.frameNumber,
          kind: body.kind,
          points: body.points,
          text: body.text,
          measurement: body.measurement,
        });
        audit.detail = { annotationId: saved.id };
        return saved;
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/annotations',
      summary: "The caller's annotations on a study (staff: everyone's with all=true)",
      tag: 'annotations',
      auth: 'radiology:view',
      query: z.strictObject({
        studyInstanceUID: uidSchema,
        sopInstanceUID: uidSchema.optional(),
        all: z.enum(['true', 'false']).default('false'),
      }),
      audit: { type: 'annotation.list', category: 'patient-record', action: 'R' },
      async handler({ query, principal, audit }) {
        const p = requirePrincipal(principal);
        await visibleStudy(deps, p, query.studyInstanceUID, audit);
        const everyone = query.all === 'true' && isStaff(p);
        return annotations.list({
          studyInstanceUID: query.studyInstanceUID,
          ...(query.sopInstanceUID ? { sopInstanceUID: query.sopInstanceUID } : {}),
          ...(everyone ? {} : { userId: actorId(p) }),
        });
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/annotations/:annotationId',
      summary: 'Delete one of your annotations',
      tag: 'annotations',
      auth: 'radiology:annotate',
      params: z.strictObject({ annotationId: idSchema }),
      audit: { type: 'annotation.delete', category: 'patient-record', action: 'D' },
      async handler({ params, principal, audit }) {
        const p = requirePrincipal(principal);
        audit.detail = { annotationId: params.annotationId };
        await annotations.remove(params.annotationId, actorId(p));
        return undefined;
      },
    }),
  ];
}
