import { randomUUID } from 'node:crypto';
import { PacsError } from '@pacskit/dicom';
import { buildBasicTextSr } from './basicTextSr.js';
import type { SrStudyContext } from './srDocument.js';
import type { OrderService } from './createOrderService.js';
import type { WebhookDispatcher } from './createWebhookDispatcher.js';
import type { WorkflowStore } from './WorkflowStore.js';
import type {
  OrderRecord,
  ReportContent,
  ReportRecord,
  ReportStatus,
  ReportTemplateRecord,
  ReportVersionRecord,
} from './WorkflowRecords.js';

export interface ReportServiceOptions {
  store: WorkflowStore;
  clock: { now(): number };
  orders: OrderService;
  webhooks?: WebhookDispatcher;
  /** Stores a Part 10 instance through the archive's ingest pipeline (STOW-equivalent). */
  storeInstance?: (bytes: Uint8Array) => Promise<void>;
  /** Patient/study attributes of a stored study, to copy into the SR; falls back to the order. */
  studyContext?: (studyInstanceUID: string) => Promise<SrStudyContext | undefined>;
  /** Called after a report becomes final or amended (HL7 ORU^R01); its failures never undo the signature. */
  onReportFinal?: (report: ReportRecord) => Promise<void>;
  /** Hours between final signature and release to the patient portal (default 0). */
  patientReleaseEmbargoHours?: number;
}

export interface Signer {
  userId: string;
  name: string;
}

const placeholders = [
  'modality',
  'bodyPart',
  'clinicalIndication',
  'accessionNumber',
  'scheduledAt',
] as const;

/** Fills {{placeholder}} from the order; unknown placeholders stay as they are. */
export function renderTemplate(text: string, order: OrderRecord | undefined): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    if (!order || !(placeholders as readonly string[]).includes(name)) return whole;
    return String(order[name as (typeof placeholders)[number]] ?? '');
  });
}

/**
 * Reports: draft → preliminary → final → amended, a version row per save, signatures by users
 * with radiology:report (checked by the caller), a Basic Text SR stored in the study at final and
 * at each amendment, and the patient release embargo.
 */
export function createReportService(options: ReportServiceOptions) {
  const { store, clock, orders } = options;
  const embargoMs = (options.patientReleaseEmbargoHours ?? 0) * 3600_000;

  async function mustFind(id: string): Promise<ReportRecord> {
    const report = await store.findReport(id);
    if (!report) throw new PacsError('NOT_FOUND', 'no such report');
    return report;
  }

  async function save(report: ReportRecord, authorId: string): Promise<ReportRecord> {
    const version: ReportVersionRecord = {
      reportId: report.id,
      version: report.version,
      status: report.status,
      findings: report.findings,
      impression: report.impression,
      patientSummary: report.patientSummary,
      criticalFinding: report.criticalFinding,
      addendum: report.addendum,
      authorId,
      at: report.updatedAt,
    };
    await store.saveReport(report, version);
    return report;
  }

  async function storeSr(report: ReportRecord, signer: Signer): Promise<string | undefined> {
    if (!options.storeInstance) return undefined;
    const order = report.orderId ? await store.findOrder(report.orderId) : undefined;
    const context: SrStudyContext = (await options.studyContext?.(report.studyInstanceUID)) ?? {
      studyInstanceUID: report.studyInstanceUID,
      patientId: report.patientId,
      ...(order
        ? {
            patientName: order.patientName,
            ...(order.patientBirthDate ? { patientBirthDate: order.patientBirthDate } : {}),
            ...(order.patientSex ? { patientSex: order.patientSex } : {}),
            accessionNumber: order.accessionNumber,
            ...(order.referringPhysician ? { referringPhysicianName: order.referringPhysician } : {}),
          }
        : {}),
    };
    const sr = buildBasicTextSr(report, context, signer.name, clock.now());
    await options.storeInstance(sr.bytes);
    return sr.sopInstanceUID;
  }

  async function notify(report: ReportRecord): Promise<void> {
    const data = { reportId: report.id, studyInstanceUID: report.studyInstanceUID, status: report.status };
    await options.webhooks?.emit('report.final', data);
    if (report.criticalFinding) await options.webhooks?.emit('critical.finding', data);
    await options.onReportFinal?.(report).catch(() => undefined);
  }

  return {
    mustFind,
    versions: (id: string) => store.reportVersions(id),
    list: (filter: { studyInstanceUID?: string; patientId?: string; orderId?: string }) =>
      store.listReports(filter),

    async create(
      input: {
        studyInstanceUID: string;
        patientId: string;
        orderId?: string;
        templateId?: string;
        content: Partial<ReportContent>;
      },
      authorId: string,
    ): Promise<ReportRecord> {
      let template: ReportTemplateRecord | undefined;
      if (input.templateId !== undefined) {
        template = await store.findTemplate(input.templateId);
        if (!template) throw new PacsError('NOT_FOUND', 'no such template');
      }
      const order = input.orderId ? await store.findOrder(input.orderId) : undefined;
      if (input.orderId !== undefined && !order) throw new PacsError('NOT_FOUND', 'no such order');
      const at = clock.now();
      return save(
        {
          id: randomUUID(),
          orderId: input.orderId,
          studyInstanceUID: input.studyInstanceUID,
          patientId: input.patientId,
          status: 'draft',
          version: 1,
          findings: input.content.findings ?? (template ? renderTemplate(template.findings, order) : ''),
          impression:
            input.content.impression ?? (template ? renderTemplate(template.impression, order) : ''),
          patientSummary: input.content.patientSummary,
          criticalFinding: input.content.criticalFinding ?? false,
          addendum: undefined,
          authorId,
          signedBy: undefined,
          signedAt: undefined,
          releaseAt: undefined,
          srSopInstanceUID: undefined,
          createdAt: at,
          updatedAt: at,
        },
        authorId,
      );
    },

    /** Edits a draft or preliminary report (a new version each time). */
    async update(id: string, content: Partial<ReportContent>, authorId: string): Promise<ReportRecord> {
      const report = await mustFind(id);
      if (report.status !== 'draft' && report.status !== 'preliminary') {
        throw new PacsError('CONFLICT', 'a final report changes only by amendment', {
          details: { status: report.status },
        });
      }
      return save(
        {
          ...report,
          findings: content.findings ?? report.findings,
          impression: content.impression ?? report.impression,
          patientSummary: content.patientSummary ?? report.patientSummary,
          criticalFinding: content.criticalFinding ?? report.criticalFinding,
          version: report.version + 1,
          updatedAt: clock.now(),
        },
        authorId,
      );
    },

    /** Signs as preliminary or final. Final stores the SR, starts the embargo and notifies. */
    async sign(id: string, target: 'preliminary' | 'final', signer: Signer): Promise<ReportRecord> {
      const report = await mustFind(id);
      const allowed: Record<ReportStatus, readonly ReportStatus[]> = {
        draft: ['preliminary', 'final'],
        preliminary: ['preliminary', 'final'],
        final: [],
        amended: [],
      };
      if (!allowed[report.status].includes(target)) {
        throw new PacsError('CONFLICT', `a ${report.status} report cannot become ${target}`);
      }
      if (target === 'final' && report.findings.trim() === '' && report.impression.trim() === '') {
        throw new PacsError('INVALID_ARGUMENT', 'a final report needs findings or an impression');
      }
      const at = clock.now();
      let signed: ReportRecord = {
        ...report,
        status: target,
        version: report.version + 1,
        signedBy: signer.userId,
        signedAt: at,
        updatedAt: at,
        ...(target === 'final' ? { releaseAt: at + embargoMs } : {}),
      };
      if (target === 'final') signed = { ...signed, srSopInstanceUID: await storeSr(signed, signer) };
      await save(signed, signer.userId);
      if (report.orderId) await orders.onReportSigned(report.orderId, target, signer.userId);
      if (target === 'final') await notify(signed);
      return signed;
    },

    /** An addendum to a final report: a new amended version and a new SR. */
    async amend(id: string, addendum: string, signer: Signer, content: Partial<ReportContent> = {}) {
      const report = await mustFind(id);
      if (report.status !== 'final' && report.status !== 'amended') {
        throw new PacsError('CONFLICT', 'only a final report can be amended');
      }
      const at = clock.now();
      let amended: ReportRecord = {
        ...report,
        ...Object.fromEntries(Object.entries(content).filter(([, v]) => v !== undefined)),
        addendum,
        status: 'amended',
        version: report.version + 1,
        signedBy: signer.userId,
        signedAt: at,
        updatedAt: at,
      };
      amended = { ...amended, srSopInstanceUID: (await storeSr(amended, signer)) ?? report.srSopInstanceUID };
      await save(amended, signer.userId);
      await notify(amended);
      return amended;
    },

    /** Whether the patient portal may show it: final or amended, and past the embargo. */
    isReleasedToPatient(report: ReportRecord): boolean {
      return (
        (report.status === 'final' || report.status === 'amended') &&
        report.releaseAt !== undefined &&
        report.releaseAt <= clock.now()
      );
    },

    async createTemplate(
      input: Omit<ReportTemplateRecord, 'id' | 'createdAt'>,
    ): Promise<ReportTemplateRecord> {
      const template: ReportTemplateRecord = { ...input, id: randomUUID(), createdAt: clock.now() };
      await store.insertTemplate(template);
      return template;
    },
    listTemplates: (filter: { modality?: string; bodyPart?: string }) => store.listTemplates(filter),
  };
}

export type ReportService = ReturnType<typeof createReportService>;
