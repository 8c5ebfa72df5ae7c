import { PacsError, type PacsErrorCode } from '@pacskit/dicom';
import type {
  AccessGrant,
  Annotation,
  ArchiveShareLink,
  AuditRecord,
  Order,
  OrderHistoryEntry,
  OrderStatus,
  Report,
  ReportTemplate,
  Urgency,
  WorkflowClient,
} from '@pacskit/sdk';
import type { PacsWorkflowClient } from '../workflow/pacsWorkflowClient.js';
import { stringOf, tags } from './datasetViews.js';
import { recordedInstances } from './fixtures/recordedInstances.gen.js';

export interface FixtureWorkflowOptions {
  latencyMs?: number;
  /** `data` (default), `empty`, `error` (every call fails), `loading` (never answers). */
  mode?: 'data' | 'empty' | 'error' | 'loading';
  errorCode?: PacsErrorCode;
  /** How many orders the worklist holds (long lists: 10,000). */
  orderCount?: number;
  /** The clock, for expiries, release and history times. */
  now?: () => number;
}

type FixtureGroups = Required<
  Pick<
    PacsWorkflowClient,
    'orders' | 'worklist' | 'reports' | 'templates' | 'annotations' | 'accessGrants' | 'shareLinks' | 'audit'
  >
>;

export interface FixtureWorkflow extends FixtureGroups {
  readonly orderList: readonly Order[];
  readonly reportList: readonly Report[];
  readonly shareLinkList: readonly ArchiveShareLink[];
}

const procedures: [string, string, string][] = [
  ['CT', 'HEAD', 'Headache, rule out haemorrhage'],
  ['MR', 'KNEE', 'Knee pain after a fall'],
  ['CR', 'CHEST', 'Cough for three weeks'],
  ['US', 'ABDOMEN', 'Right upper quadrant pain'],
  ['CT', 'CHEST', 'Staging'],
  ['MR', 'BRAIN', 'Follow-up'],
];
const urgencies: Urgency[] = ['routine', 'routine', 'urgent', 'routine', 'stat'];
const statuses: OrderStatus[] = ['scheduled', 'arrived', 'scheduled', 'arrived', 'in_progress', 'completed'];
const given = ['Ada', 'Bruno', 'Chloé', 'Dmitri', 'Emeka', 'Fatima', 'Goran', 'Hana'];
const family = ['Martin', 'Okafor', 'Silva', 'Novak', 'Tanaka', 'Dubois', 'Haddad'];
/** The forward order life cycle of the archive (apps/archive-server/src/workflow/orderStatus.ts). */
const forward: OrderStatus[] = ['scheduled', 'arrived', 'in_progress', 'completed', 'reported', 'verified'];

/**
 * An in-memory implementation of the SDK's `WorkflowClient` groups the components use, for stories
 * and tests: orders and their history, the worklist, reports of the recorded CT (final, released,
 * with a patient summary) and MR (draft) studies, templates, grants, share links and audit, with
 * the same latency/empty/error knobs as the fixture adapter.
 */
export function createFixtureWorkflow(options: FixtureWorkflowOptions = {}): FixtureWorkflow {
  const mode = options.mode ?? 'data';
  const now = options.now ?? (() => Date.now());
  const iso = (ms: number) => new Date(ms).toISOString();
  const start = now();
  const ctUID = stringOf(recordedInstances[0]!.dataset, tags.StudyInstanceUID)!;
  const mrUID = stringOf(recordedInstances[1]!.dataset, tags.StudyInstanceUID)!;
  let nextId = 1;
  const newId = (prefix: string) => `${prefix}-${nextId++}`;

  const orders: Order[] =
    mode === 'empty'
      ? []
      : Array.from({ length: options.orderCount ?? 24 }, (_, index): Order => {
          const [modality, bodyPart, indication] = procedures[index % procedures.length]!;
          return {
            id: `order-${index + 1}`,
            accessionNumber: `ACC${String(index + 1).padStart(6, '0')}`,
            studyInstanceUID: `2.25.9000${index}`,
            patientId: `PK${String(index).padStart(6, '0')}`,
            patientName: `${family[index % family.length]}^${given[index % given.length]}`,
            modality,
            bodyPart,
            clinicalIndication: indication,
            urgency: urgencies[index % urgencies.length]!,
            referringPhysician: 'House^Gregory',
            scheduledAt: iso(start + (index - 6) * 15 * 60_000),
            status: statuses[index % statuses.length]!,
            createdBy: 'ris',
            createdAt: start - 86_400_000,
            updatedAt: start - 86_400_000,
          };
        });
  const history = new Map<string, OrderHistoryEntry[]>(
    orders.map((order) => [
      order.id,
      [{ orderId: order.id, to: 'scheduled', by: 'ris', at: iso(start - 86_400_000) }],
    ]),
  );
  const reports: Report[] =
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
            signedAt: iso(start - 3_600_000),
            releaseAt: iso(start - 1_800_000),
            updatedAt: iso(start - 3_600_000),
          },
          {
            id: 'report-mr',
            studyInstanceUID: mrUID,
            status: 'draft',
            findings: 'Small joint effusion.',
            impression: '',
            updatedAt: iso(start - 600_000),
          },
        ];
  const templates: ReportTemplate[] = [
    {
      id: 'tpl-ct-head',
      name: 'CT head',
      modality: 'CT',
      findings: 'Brain parenchyma: \nVentricles: \nBones: ',
      impression: '',
      createdAt: start,
    },
    {
      id: 'tpl-mr-knee',
      name: 'MR knee',
      modality: 'MR',
      findings: 'Menisci: \nLigaments: \nCartilage: ',
      impression: '',
      createdAt: start,
    },
    {
      id: 'tpl-normal',
      name: 'Normal study',
      findings: 'No abnormality detected.',
      impression: 'Normal examination.',
      createdAt: start,
    },
  ];
  const grants: AccessGrant[] =
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
            expiresAt: iso(start + 7 * 86_400_000),
            grantedBy: 'patient-1',
            createdAt: iso(start - 86_400_000),
          },
        ];
  const shareLinks: ArchiveShareLink[] = [];
  const annotations: Annotation[] = [];
  const audit: AuditRecord[] =
    mode === 'empty'
      ? []
      : (['study.view', 'report.sign'] as const).map((type, index) => ({
          seq: index + 1,
          id: `audit-${index + 1}`,
          type,
          action: index === 0 ? 'R' : 'U',
          category: 'workflow',
          outcome: 'success',
          actor: 'dr-rivera',
          protocol: 'http',
          studyInstanceUID: ctUID,
          recordedAt: iso(start - (2 - index) * 3_600_000),
          previousHash: index === 0 ? '' : 'h1',
          hash: `h${index + 1}`,
        }));

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
  function findOrder(orderId: string): Order {
    const order = orders.find((candidate) => candidate.id === orderId);
    if (!order) throw new PacsError('NOT_FOUND', 'order not found');
    return order;
  }
  function findReport(reportId: string): Report {
    const report = reports.find((candidate) => candidate.id === reportId);
    if (!report) throw new PacsError('NOT_FOUND', 'report not found');
    return report;
  }
  function moveOrder(order: Order, to: OrderStatus, reason?: string): Order {
    if (order.status === 'cancelled' || order.status === 'verified') {
      throw new PacsError('CONFLICT', `an order that is ${order.status} cannot change`);
    }
    if (
      to === 'cancelled'
        ? forward.indexOf(order.status) >= forward.indexOf('completed')
        : forward.indexOf(to) <= forward.indexOf(order.status)
    ) {
      throw new PacsError('CONFLICT', `cannot move an order from ${order.status} to ${to}`);
    }
    history.get(order.id)?.push({
      orderId: order.id,
      from: order.status,
      to,
      by: 'fixture-user',
      at: iso(now()),
      ...(reason ? { reason } : {}),
    });
    order.status = to;
    order.updatedAt = now();
    return { ...order };
  }
  const waiting = (order: Order) =>
    order.status === 'scheduled' || order.status === 'arrived' || order.status === 'in_progress';

  const orderGroup: WorkflowClient['orders'] = {
    list: (query = {}) =>
      answer(query.signal, () =>
        orders
          .filter(
            (order) =>
              (!query.status || order.status === query.status) &&
              (!query.patientId || order.patientId === query.patientId),
          )
          .map((order) => ({ ...order })),
      ),
    get: (orderId, request = {}) => answer(request.signal, () => ({ ...findOrder(orderId) })),
    create: (input, request = {}) =>
      answer(request.signal, () => {
        const order: Order = {
          id: newId('order-new'),
          accessionNumber: `ACCN${nextId}`,
          studyInstanceUID: `2.25.8000${nextId}`,
          status: 'scheduled',
          urgency: input.urgency ?? 'routine',
          createdBy: 'fixture-user',
          createdAt: now(),
          updatedAt: now(),
          ...input,
          scheduledAt: input.scheduledAt ?? iso(now()),
        };
        orders.unshift(order);
        history.set(order.id, [{ orderId: order.id, to: 'scheduled', by: 'fixture-user', at: iso(now()) }]);
        return { ...order };
      }),
    history: (orderId, request = {}) => answer(request.signal, () => [...(history.get(orderId) ?? [])]),
    setStatus: (orderId, status, request = {}) =>
      answer(request.signal, () => moveOrder(findOrder(orderId), status, request.reason)),
    cancel: (orderId, request = {}) =>
      answer(request.signal, () => moveOrder(findOrder(orderId), 'cancelled', request.reason)),
  };

  const reportGroup: WorkflowClient['reports'] = {
    list: (query) =>
      answer(query.signal, () =>
        reports
          .filter((report) => report.studyInstanceUID === query.studyInstanceUID)
          .map((report) => ({ ...report })),
      ),
    get: (reportId, request = {}) => answer(request.signal, () => ({ ...findReport(reportId) })),
    versions: (_reportId, request = {}) => answer(request.signal, () => []),
    create: (input, request = {}) =>
      answer(request.signal, () => {
        const { templateId: _templateId, orderId: _orderId, ...content } = input;
        const report: Report = {
          findings: '',
          impression: '',
          ...content,
          id: newId('report'),
          status: 'draft',
          updatedAt: iso(now()),
        };
        reports.push(report);
        return { ...report };
      }),
    update: (reportId, content, request = {}) =>
      answer(request.signal, () => {
        const report = findReport(reportId);
        if (report.status === 'final' || report.status === 'amended')
          throw new PacsError('CONFLICT', 'a signed report can only be amended');
        Object.assign(report, content, { updatedAt: iso(now()) });
        return { ...report };
      }),
    sign: (reportId, status, request = {}) =>
      answer(request.signal, () => {
        const report = findReport(reportId);
        if (report.status === 'final' || report.status === 'amended')
          throw new PacsError('CONFLICT', 'already signed');
        if (status === 'preliminary' && report.status !== 'draft')
          throw new PacsError('CONFLICT', 'only a draft becomes preliminary');
        Object.assign(report, {
          status,
          signedBy: 'fixture-user',
          signedAt: iso(now()),
          updatedAt: iso(now()),
        });
        if (status === 'final') report.releaseAt = iso(now());
        return { ...report };
      }),
    amend: (reportId, amendment, request = {}) =>
      answer(request.signal, () => {
        const report = findReport(reportId);
        if (report.status !== 'final' && report.status !== 'amended')
          throw new PacsError('CONFLICT', 'only a signed report can be amended');
        Object.assign(report, amendment, { status: 'amended', updatedAt: iso(now()) });
        return { ...report };
      }),
  };

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
    orders: orderGroup,
    worklist: {
      list: (query = {}) =>
        answer(query.signal, () =>
          orders
            .filter((order) => waiting(order) && (!query.modality || order.modality === query.modality))
            .map((order) => ({ ...order })),
        ),
    },
    reports: reportGroup,
    templates: {
      list: (query = {}) =>
        answer(query.signal, () =>
          templates.filter(
            (template) => !query.modality || !template.modality || template.modality === query.modality,
          ),
        ),
      create: (input, request = {}) =>
        answer(request.signal, () => {
          const template: ReportTemplate = { impression: '', ...input, id: newId('tpl'), createdAt: now() };
          templates.push(template);
          return template;
        }),
    },
    annotations: {
      list: (query) =>
        answer(query.signal, () =>
          annotations.filter((annotation) => annotation.studyInstanceUID === query.studyInstanceUID),
        ),
      save: (input, request = {}) =>
        answer(request.signal, () => {
          const annotation: Annotation = {
            userId: 'fixture-user',
            createdAt: now(),
            updatedAt: now(),
            ...input,
            id: input.id ?? newId('annotation'),
          };
          annotations.push(annotation);
          return annotation;
        }),
      delete: (annotationId, request = {}) =>
        answer(request.signal, () => {
          const index = annotations.findIndex((annotation) => annotation.id === annotationId);
          if (index < 0) throw new PacsError('NOT_FOUND', 'annotation not found');
          annotations.splice(index, 1);
        }),
    },
    accessGrants: {
      list: (query = {}) => answer(query.signal, () => grants.filter((grant) => !grant.revokedAt)),
      create: (input, request = {}) =>
        answer(request.signal, () => {
          const grant: AccessGrant = {
            ...input,
            id: newId('grant'),
            grantedBy: 'fixture-user',
            createdAt: iso(now()),
          };
          grants.push(grant);
          return grant;
        }),
      revoke: (grantId, request = {}) =>
        answer(request.signal, () => {
          const grant = grants.find((candidate) => candidate.id === grantId);
          if (!grant) throw new PacsError('NOT_FOUND', 'grant not found');
          grant.revokedAt = iso(now());
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
          if (input.expiresInSeconds <= 0)
            throw new PacsError('INVALID_ARGUMENT', 'expiry must be in the future');
          const link: ArchiveShareLink = {
            id: newId('share'),
            studyInstanceUID: input.studyInstanceUID,
            allowDownload: input.allowDownload ?? false,
            passwordProtected: Boolean(input.password),
            expiresAt: iso(now() + input.expiresInSeconds * 1000),
            createdAt: iso(now()),
            useCount: 0,
          };
          shareLinks.push(link);
          return {
            ...link,
            token: 'fixture-secret',
            url: `https://portal.example.org/shared/${link.id}#fixture-secret`,
          };
        }),
      revoke: (linkId, request = {}) =>
        answer(request.signal, () => {
          const link = shareLinks.find((candidate) => candidate.id === linkId);
          if (!link) throw new PacsError('NOT_FOUND', 'share link not found');
          link.revokedAt = iso(now());
        }),
      open: (_input, request = {}) =>
        answer(request.signal, () => {
          throw new PacsError('NOT_SUPPORTED', 'the fixture workflow does not open share links');
        }),
    },
    audit: {
      list: (query = {}) =>
        answer(query.signal, () =>
          audit.filter(
            (record) => !query.studyInstanceUID || record.studyInstanceUID === query.studyInstanceUID,
          ),
        ),
    },
  };
}
