import { PacsError, type PacsErrorCode } from '@pacskit/dicom';
import type {
  PacsWorkflowClient,
  WorkflowAccessGrant,
  WorkflowAuditEvent,
  WorkflowOrder,
  WorkflowOrderHistoryEntry,
  WorkflowReport,
  WorkflowReportTemplate,
  WorkflowShareLink,
  WorkflowUrgency,
} from '../workflow/pacsWorkflowClient.js';
import { recordedInstances } from './fixtures/recordedInstances.gen.js';
import { stringOf, tags } from './datasetViews.js';

export interface FixtureWorkflowOptions {
  latencyMs?: number;
  /** `data` (default), `empty`, `error` (every call fails), `loading` (never answers). */
  mode?: 'data' | 'empty' | 'error' | 'loading';
  errorCode?: PacsErrorCode;
  /** How many active orders the worklist holds (long lists: 10,000). */
  orderCount?: number;
  /** The clock, for expiries and release times. */
  now?: () => number;
}

export interface FixtureWorkflow extends PacsWorkflowClient {
  readonly orderList: readonly WorkflowOrder[];
  readonly reportList: readonly WorkflowReport[];
  readonly shareLinkList: readonly WorkflowShareLink[];
}

const procedures: [string, string, string][] = [
  ['CT', 'CT head without contrast', 'neurology'],
  ['MR', 'MR knee left', 'orthopaedics'],
  ['CR', 'Chest X-ray PA', 'pulmonology'],
  ['US', 'Abdominal ultrasound', 'gastroenterology'],
  ['CT', 'CT chest with contrast', 'oncology'],
  ['MR', 'MR brain', 'neurology'],
];
const urgencies: WorkflowUrgency[] = ['routine', 'routine', 'urgent', 'routine', 'stat'];
const statuses = ['scheduled', 'arrived', 'in_progress', 'completed'];
const given = ['Ada', 'Bruno', 'Chloé', 'Dmitri', 'Emeka', 'Fatima', 'Goran', 'Hana'];
const family = ['Martin', 'Okafor', 'Silva', 'Novak', 'Tanaka', 'Dubois', 'Haddad'];

/**
 * An in-memory workflow client for stories and tests: active orders, reports of the recorded CT
 * (final and released, with a patient summary) and MR (draft) studies, templates, grants, share
 * links and audit events, with the same latency/empty/error knobs as the fixture adapter.
 */
export function createFixtureWorkflow(options: FixtureWorkflowOptions = {}): FixtureWorkflow {
  const mode = options.mode ?? 'data';
  const now = options.now ?? (() => Date.now());
  const start = now();
  const ctUID = stringOf(recordedInstances[0]!.dataset, tags.StudyInstanceUID)!;
  const mrUID = stringOf(recordedInstances[1]!.dataset, tags.StudyInstanceUID)!;
  let nextId = 1;
  const id = (prefix: string) => `${prefix}-${nextId++}`;

  const orders: WorkflowOrder[] =
    mode === 'empty'
      ? []
      : Array.from({ length: options.orderCount ?? 24 }, (_, index) => {
          const [modality, description, specialty] = procedures[index % procedures.length]!;
          return {
            id: `order-${index + 1}`,
            status: statuses[index % statuses.length]!,
            patientId: `PK${String(index).padStart(6, '0')}`,
            patientName: `${family[index % family.length]}^${given[index % given.length]}`,
            accessionNumber: `ACC${String(index + 1).padStart(6, '0')}`,
            modality,
            requestedProcedureDescription: description,
            specialty,
            urgency: urgencies[index % urgencies.length]!,
            scheduledAt: start + (index - 6) * 15 * 60_000,
            referringPhysicianName: 'House^Gregory',
          };
        });
  const history = new Map<string, WorkflowOrderHistoryEntry[]>(
    orders.map((order) => [order.id, [{ to: 'scheduled', by: 'ris', at: start - 86_400_000 }]]),
  );
  const reports: WorkflowReport[] =
    mode === 'empty'
      ? []
      : [
          {
            id: 'report-ct',
            studyInstanceUID: ctUID,
            status: 'final',
            findings: 'No acute intracranial haemorrhage. Ventricles normal in size. No mass effect.',
            impression: 'Unremarkable non-contrast CT of the head.',
            patientSummary:
              'Your head scan looks normal. The doctor did not see any bleeding or anything pressing on the brain.',
            signedBy: 'Dr. Rivera',
            signedAt: start - 3_600_000,
            releaseAt: start - 1_800_000,
            updatedAt: start - 3_600_000,
          },
          {
            id: 'report-mr',
            studyInstanceUID: mrUID,
            status: 'draft',
            findings: 'Small joint effusion.',
            impression: '',
            updatedAt: start - 600_000,
          },
        ];
  const templates: WorkflowReportTemplate[] = [
    {
      id: 'tpl-ct-head',
      name: 'CT head',
      modality: 'CT',
      findings: 'Brain parenchyma: \nVentricles: \nBones: ',
      impression: '',
    },
    {
      id: 'tpl-mr-knee',
      name: 'MR knee',
      modality: 'MR',
      findings: 'Menisci: \nLigaments: \nCartilage: ',
      impression: '',
    },
    {
      id: 'tpl-normal',
      name: 'Normal study',
      findings: 'No abnormality detected.',
      impression: 'Normal examination.',
    },
  ];
  const grants: WorkflowAccessGrant[] =
    mode === 'empty'
      ? []
      : [
          {
            id: 'grant-1',
            granteeUserId: 'dr-lee',
            scopeType: 'study',
            studyInstanceUID: ctUID,
            accessType: 'view',
            consentGiven: true,
            expiresAt: start + 7 * 86_400_000,
          },
        ];
  const shareLinks: WorkflowShareLink[] = [];
  const audit: WorkflowAuditEvent[] =
    mode === 'empty'
      ? []
      : [
          {
            id: 'audit-1',
            at: start - 7_200_000,
            actorId: 'dr-rivera',
            action: 'study.view',
            outcome: 'success',
            studyInstanceUID: ctUID,
          },
          {
            id: 'audit-2',
            at: start - 3_600_000,
            actorId: 'dr-rivera',
            action: 'report.sign',
            outcome: 'success',
            studyInstanceUID: ctUID,
          },
        ];

  async function answer<T>(signal: AbortSignal | undefined, produce: () => T): Promise<T> {
    if (mode === 'loading') return new Promise<T>(() => {});
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    if (signal?.aborted) throw new PacsError('ABORTED', undefined, { source: 'fixture-workflow' });
    if (mode === 'error') {
      const code = options.errorCode ?? 'UNAVAILABLE';
      throw new PacsError(code, `fixture workflow fails with ${code}`, { source: 'fixture-workflow' });
    }
    return produce();
  }
  function findOrder(orderId: string): WorkflowOrder {
    const order = orders.find((candidate) => candidate.id === orderId);
    if (!order) throw new PacsError('NOT_FOUND', 'order not found');
    return order;
  }
  function findReport(reportId: string): WorkflowReport {
    const report = reports.find((candidate) => candidate.id === reportId);
    if (!report) throw new PacsError('NOT_FOUND', 'report not found');
    return report;
  }
  function moveOrder(order: WorkflowOrder, to: string, reason?: string) {
    history
      .get(order.id)
      ?.push({ from: order.status, to, by: 'fixture-user', at: now(), ...(reason ? { reason } : {}) });
    order.status = to;
  }
  const active = (order: WorkflowOrder) => order.status !== 'cancelled' && order.status !== 'completed';

  return {
    get orderList() {
      return orders;
    },
    get reportList() {
      return reports;
    },
    get shareLinkList() {
      return shareLinks;
    },
    orders: {
      list: (query = {}) =>
        answer(query.signal, () => {
          const items = orders.filter(
            (order) =>
              (!query.status || order.status === query.status) &&
              (!query.patientId || order.patientId === query.patientId) &&
              (!query.modality || order.modality === query.modality),
          );
          return { items: items.map((order) => ({ ...order })), total: items.length };
        }),
      create: (input, request = {}) =>
        answer(request.signal, () => {
          const order: WorkflowOrder = {
            id: id('order-new'),
            status: 'scheduled',
            accessionNumber: `ACCN${nextId}`,
            urgency: 'routine',
            ...input,
          };
          orders.unshift(order);
          history.set(order.id, [{ to: 'scheduled', by: 'fixture-user', at: now() }]);
          return { ...order };
        }),
      update: (orderId, patch, request = {}) =>
        answer(request.signal, () => {
          const order = findOrder(orderId);
          Object.assign(order, patch);
          return { ...order };
        }),
      cancel: (orderId, request = {}) =>
        answer(request.signal, () => {
          const order = findOrder(orderId);
          if (order.status === 'completed' || order.status === 'cancelled') {
            throw new PacsError('CONFLICT', `an order that is ${order.status} cannot be cancelled`);
          }
          moveOrder(order, 'cancelled', request.reason);
          return { ...order };
        }),
      history: (orderId, request = {}) => answer(request.signal, () => [...(history.get(orderId) ?? [])]),
    },
    worklist: {
      list: (query = {}) =>
        answer(query.signal, () => {
          const items = orders.filter(
            (order) => active(order) && (!query.modality || order.modality === query.modality),
          );
          return { items: items.map((order) => ({ ...order })), total: items.length };
        }),
    },
    reports: {
      list: (query = {}) =>
        answer(query.signal, () => ({
          items: reports.filter(
            (report) => !query.studyInstanceUID || report.studyInstanceUID === query.studyInstanceUID,
          ),
        })),
      create: (input, request = {}) =>
        answer(request.signal, () => {
          const report: WorkflowReport = {
            findings: '',
            impression: '',
            ...input,
            id: id('report'),
            status: 'draft',
            updatedAt: now(),
          };
          reports.push(report);
          return { ...report };
        }),
      update: (reportId, patch, request = {}) =>
        answer(request.signal, () => {
          const report = findReport(reportId);
          if (report.status === 'final' || report.status === 'amended') {
            throw new PacsError('CONFLICT', 'a signed report can only be amended');
          }
          Object.assign(report, patch, { updatedAt: now() });
          return { ...report };
        }),
      markPreliminary: (reportId, request = {}) =>
        answer(request.signal, () => {
          const report = findReport(reportId);
          if (report.status !== 'draft')
            throw new PacsError('CONFLICT', 'only a draft can become preliminary');
          report.status = 'preliminary';
          report.updatedAt = now();
          return { ...report };
        }),
      finalize: (reportId, request = {}) =>
        answer(request.signal, () => {
          const report = findReport(reportId);
          if (report.status === 'final' || report.status === 'amended')
            throw new PacsError('CONFLICT', 'already signed');
          Object.assign(report, {
            status: 'final',
            signedBy: 'fixture-user',
            signedAt: now(),
            releaseAt: now(),
            updatedAt: now(),
          });
          return { ...report };
        }),
      amend: (reportId, patch, request = {}) =>
        answer(request.signal, () => {
          const report = findReport(reportId);
          if (report.status !== 'final' && report.status !== 'amended')
            throw new PacsError('CONFLICT', 'only a signed report can be amended');
          Object.assign(report, patch, { status: 'amended', updatedAt: now() });
          return { ...report };
        }),
    },
    templates: {
      list: (query = {}) =>
        answer(query.signal, () =>
          templates.filter(
            (template) => !query.modality || !template.modality || template.modality === query.modality,
          ),
        ),
    },
    accessGrants: {
      list: (query = {}) => answer(query.signal, () => grants.filter((grant) => !grant.revokedAt)),
      revoke: (grantId, request = {}) =>
        answer(request.signal, () => {
          const grant = grants.find((candidate) => candidate.id === grantId);
          if (!grant) throw new PacsError('NOT_FOUND', 'grant not found');
          grant.revokedAt = now();
        }),
    },
    shareLinks: {
      list: (query = {}) =>
        answer(query.signal, () =>
          shareLinks.filter(
            (link) => !query.studyInstanceUID || link.studyInstanceUID === query.studyInstanceUID,
          ),
        ),
      create: (input, request = {}) =>
        answer(request.signal, () => {
          if (input.expiresAt <= now())
            throw new PacsError('INVALID_ARGUMENT', 'expiry must be in the future');
          const link: WorkflowShareLink = {
            id: id('share'),
            studyInstanceUID: input.studyInstanceUID,
            allowDownload: input.allowDownload ?? false,
            expiresAt: input.expiresAt,
          };
          shareLinks.push(link);
          return { ...link, url: `https://portal.example.org/shared/${link.id}#fixture-secret` };
        }),
      revoke: (linkId, request = {}) =>
        answer(request.signal, () => {
          const link = shareLinks.find((candidate) => candidate.id === linkId);
          if (!link) throw new PacsError('NOT_FOUND', 'share link not found');
          link.revokedAt = now();
        }),
    },
    audit: {
      list: (query = {}) => answer(query.signal, () => ({ items: [...audit] })),
    },
  };
}
