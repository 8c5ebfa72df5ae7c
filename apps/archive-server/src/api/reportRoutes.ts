import { PacsError } from '@pacskit/dicom';
import { z } from 'zod';
import type { Principal } from '../access/Principal.js';
import type { ReportRecord } from '../workflow/WorkflowRecords.js';
import type { ApiDependencies } from './ApiDependencies.js';
import { type ApiRoute, type AuditContext, route } from './ApiRoute.js';
import { idSchema, longTextSchema, modalitySchema, shortTextSchema, uidSchema } from './schemas.js';
import { actorId, isStaff, requirePrincipal, requireVisibleRecord, visibleStudy } from './studyAccess.js';

const reportParams = z.strictObject({ reportId: idSchema });
const content = {
  findings: longTextSchema.optional(),
  impression: longTextSchema.optional(),
  patientSummary: longTextSchema.optional(),
  criticalFinding: z.boolean().optional(),
};

/** What a patient sees of a report: the released text and the plain-language summary. */
function patientView(report: ReportRecord) {
  return {
    id: report.id,
    studyInstanceUID: report.studyInstanceUID,
    status: report.status,
    findings: report.findings,
    impression: report.impression,
    patientSummary: report.patientSummary,
    addendum: report.addendum,
    signedAt: report.signedAt === undefined ? undefined : new Date(report.signedAt).toISOString(),
  };
}

function staffView(report: ReportRecord) {
  return {
    ...report,
    signedAt: report.signedAt === undefined ? undefined : new Date(report.signedAt).toISOString(),
    releaseAt: report.releaseAt === undefined ? undefined : new Date(report.releaseAt).toISOString(),
    createdAt: new Date(report.createdAt).toISOString(),
    updatedAt: new Date(report.updatedAt).toISOString(),
  };
}

/** Reports with versions, signatures, amendments and templates; patients see released ones only. */
export function reportRoutes(deps: ApiDependencies): ApiRoute[] {
  const reports = deps.workflow.reports;
  const visibleToPatient = (report: ReportRecord) => reports.isReleasedToPatient(report);

  async function visibleReport(principal: Principal, id: string, audit: AuditContext): Promise<ReportRecord> {
    const report = await deps.workflow.store.findReport(id);
    requireVisibleRecord(principal, report, audit);
    audit.detail = { reportId: id };
    if (!isStaff(principal) && !visibleToPatient(report!)) {
      audit.hidden = true;
      throw new PacsError('NOT_FOUND', 'not found');
    }
    return report!;
  }

  const signer = (p: Principal) => ({ userId: actorId(p), name: p.displayName });

  return [
    route({
      method: 'POST',
      url: '/api/v1/reports',
      summary: 'Start a draft report for a study (optionally from a template and an order)',
      tag: 'reports',
      auth: 'radiology:report',
      body: z.strictObject({
        studyInstanceUID: uidSchema,
        orderId: idSchema.optional(),
        templateId: idSchema.optional(),
        ...content,
      }),
      successStatus: 201,
      audit: { type: 'report.create', category: 'report', action: 'C' },
      async handler({ body, principal, audit }) {
        const p = requirePrincipal(principal);
        let patientId: string | undefined;
        if (body.orderId) {
          const order = await deps.workflow.orders.get(body.orderId);
          if (!order || order.studyInstanceUID !== body.studyInstanceUID)
            throw new PacsError('NOT_FOUND', 'not found');
          patientId = order.patientId;
        } else {
          const study = await visibleStudy(deps, p, body.studyInstanceUID, audit);
          const v = study['00100020']?.Value?.[0];
          patientId = typeof v === 'string' ? v : undefined;
        }
        if (patientId === undefined) throw new PacsError('MISSING_ATTRIBUTE', 'the study has no PatientID');
        audit.patientId = patientId;
        audit.studyInstanceUID = body.studyInstanceUID;
        const report = await reports.create(
          {
            studyInstanceUID: body.studyInstanceUID,
            patientId,
            ...(body.orderId ? { orderId: body.orderId } : {}),
            ...(body.templateId ? { templateId: body.templateId } : {}),
            content: Object.fromEntries(
              Object.entries({
                findings: body.findings,
                impression: body.impression,
                patientSummary: body.patientSummary,
                criticalFinding: body.criticalFinding,
              }).filter(([, v]) => v !== undefined),
            ),
          },
          actorId(p),
        );
        audit.detail = { reportId: report.id };
        return staffView(report);
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/reports',
      summary: 'Reports of a study (patients: released final/amended reports only)',
      tag: 'reports',
      auth: 'radiology:view',
      query: z.strictObject({ studyInstanceUID: uidSchema }),
      audit: { type: 'report.search', category: 'report', action: 'R' },
      async handler({ query, principal, audit }) {
        const p = requirePrincipal(principal);
        const list = await reports.list({ studyInstanceUID: query.studyInstanceUID });
        audit.studyInstanceUID = query.studyInstanceUID;
        const visible = list.filter((r) => {
          try {
            requireVisibleRecord(p, r, {});
            return isStaff(p) || visibleToPatient(r);
          } catch {
            return false;
          }
        });
        if (visible[0]) audit.patientId = visible[0].patientId;
        return visible.map((r) => (isStaff(p) ? staffView(r) : patientView(r)));
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/reports/:reportId',
      summary: 'Read a report',
      tag: 'reports',
      auth: 'radiology:view',
      params: reportParams,
      audit: { type: 'report.read', category: 'report', action: 'R' },
      async handler({ params, principal, audit }) {
        const p = requirePrincipal(principal);
        const report = await visibleReport(p, params.reportId, audit);
        return isStaff(p) ? staffView(report) : patientView(report);
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/reports/:reportId/versions',
      summary: 'Every saved version of a report',
      tag: 'reports',
      auth: 'radiology:report',
      params: reportParams,
      audit: { type: 'report.versions', category: 'report', action: 'R' },
      async handler({ params, principal, audit }) {
        await visibleReport(requirePrincipal(principal), params.reportId, audit);
        return (await reports.versions(params.reportId)).map((v) => ({
          ...v,
          at: new Date(v.at).toISOString(),
        }));
      },
    }),
    route({
      method: 'PATCH',
      url: '/api/v1/reports/:reportId',
      summary: 'Edit a draft or preliminary report (a new version)',
      tag: 'reports',
      auth: 'radiology:report',
      params: reportParams,
      body: z.strictObject(content),
      audit: { type: 'report.update', category: 'report', action: 'U' },
      async handler({ params, body, principal, audit }) {
        const p = requirePrincipal(principal);
        await visibleReport(p, params.reportId, audit);
        const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
        return staffView(await reports.update(params.reportId, changes, actorId(p)));
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/reports/:reportId/sign',
      summary: 'Sign as preliminary or final (final stores a Basic Text SR and starts the patient embargo)',
      tag: 'reports',
      auth: 'radiology:report',
      params: reportParams,
      body: z.strictObject({ status: z.enum(['preliminary', 'final']) }),
      audit: { type: 'report.sign', category: 'report', action: 'U' },
      async handler({ params, body, principal, audit }) {
        const p = requirePrincipal(principal);
        await visibleReport(p, params.reportId, audit);
        const signed = await reports.sign(params.reportId, body.status, signer(p));
        audit.detail = { reportId: signed.id, status: signed.status };
        return staffView(signed);
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/reports/:reportId/amend',
      summary: 'Add an addendum to a final report (a new amended version and SR)',
      tag: 'reports',
      auth: 'radiology:report',
      params: reportParams,
      body: z.strictObject({ addendum: longTextSchema.min(1), ...content }),
      audit: { type: 'report.amend', category: 'report', action: 'U' },
      async handler({ params, body, principal, audit }) {
        const p = requirePrincipal(principal);
        await visibleReport(p, params.reportId, audit);
        const { addendum, ...rest } = body;
        const changes = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
        return staffView(await reports.amend(params.reportId, addendum, signer(p), changes));
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/report-templates',
      summary: 'Create a report template for a modality and body part ({{placeholders}} from the order)',
      tag: 'reports',
      auth: 'radiology:report',
      body: z.strictObject({
        name: shortTextSchema.min(1),
        modality: modalitySchema.optional(),
        bodyPart: z
          .string()
          .regex(/^[A-Z0-9_ ]{1,16}$/)
          .optional(),
        findings: longTextSchema,
        impression: longTextSchema.default(''),
      }),
      successStatus: 201,
      async handler({ body }) {
        return reports.createTemplate({
          name: body.name,
          modality: body.modality,
          bodyPart: body.bodyPart,
          findings: body.findings,
          impression: body.impression,
        });
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/report-templates',
      summary: 'Templates matching a modality and body part',
      tag: 'reports',
      auth: 'radiology:report',
      query: z.strictObject({
        modality: modalitySchema.optional(),
        bodyPart: z
          .string()
          .regex(/^[A-Z0-9_ ]{1,16}$/)
          .optional(),
      }),
      async handler({ query }) {
        return reports.listTemplates({
          ...(query.modality ? { modality: query.modality } : {}),
          ...(query.bodyPart ? { bodyPart: query.bodyPart } : {}),
        });
      },
    }),
  ];
}
