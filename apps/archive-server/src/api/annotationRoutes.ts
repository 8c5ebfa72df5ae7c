import { z } from 'zod';
import type { SrStudyContext } from '../workflow/srDocument.js';
import { buildMeasurementReportSr } from '../workflow/measurementReportSr.js';
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
      method: 'GET',
      url: '/api/v1/annotations/sr',
      summary: 'Export annotations of a study as a DICOM SR (TID 1500 Measurement Report, Part 10)',
      tag: 'annotations',
      auth: 'radiology:annotate',
      produces: 'application/dicom',
      query: z.strictObject({ studyInstanceUID: uidSchema, all: z.enum(['true', 'false']).default('false') }),
      audit: { type: 'annotation.export', category: 'export', action: 'R' },
      async handler({ query, principal, reply, audit }) {
        const p = requirePrincipal(principal);
        const study = await visibleStudy(deps, p, query.studyInstanceUID, audit);
        const list = await annotations.list({
          studyInstanceUID: query.studyInstanceUID,
          ...(query.all === 'true' && isStaff(p) ? {} : { userId: actorId(p) }),
        });
        const classes = new Map<string, string>();
        for (const instance of await deps.studies.listInstances(query.studyInstanceUID)) {
          const sop = instance['00080018']?.Value?.[0];
          const sopClass = instance['00080016']?.Value?.[0];
          if (typeof sop === 'string' && typeof sopClass === 'string') classes.set(sop, sopClass);
        }
        const text = (tag: string) => {
          const v = study[tag]?.Value?.[0];
          if (typeof v === 'string') return v;
          if (v && typeof v === 'object' && 'Alphabetic' in v)
            return (v as { Alphabetic?: string }).Alphabetic;
          return undefined;
        };
        const context = Object.fromEntries(
          Object.entries({
            studyInstanceUID: query.studyInstanceUID,
            patientId: text('00100020') ?? '',
            patientName: text('00100010'),
            patientBirthDate: text('00100030'),
            patientSex: text('00100040'),
            accessionNumber: text('00080050'),
            referringPhysicianName: text('00080090'),
            studyDate: text('00080020'),
            studyTime: text('00080030'),
            studyId: text('00200010'),
          }).filter(([, v]) => v !== undefined),
        ) as unknown as SrStudyContext;
        const sr = buildMeasurementReportSr({
          annotations: list,
          sopClassOf: (sop) => classes.get(sop),
          study: context,
          observerName: p.displayName,
          at: deps.clock.now(),
        });
        audit.detail = { annotations: list.length, sopInstanceUID: sr.sopInstanceUID };
        reply.type('application/dicom');
        reply.header('content-disposition', `attachment; filename="measurements-${sr.sopInstanceUID}.dcm"`);
        return sr.bytes;
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
