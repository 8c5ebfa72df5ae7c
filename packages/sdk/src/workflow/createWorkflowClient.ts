import { PacsError } from '@pacskit/dicom';
import { parseJsonBody } from '../http/httpTransport.js';
import type { HttpTransport, QueryValue } from '../http/httpTransport.js';
import type { RequestOptions } from '../pacsAdapter.js';
import type {
  AccessGrant,
  Analytics,
  AnalyticsQuery,
  Annotation,
  AnnotationQuery,
  AuditQuery,
  AuditRecord,
  CreateAccessGrantInput,
  CreateOrderInput,
  CreateReportInput,
  CreateReportTemplateInput,
  CreateShareLinkInput,
  CreatedShareLink,
  OpenedShareLink,
  Order,
  OrderHistoryEntry,
  OrderQuery,
  OrderStatus,
  Report,
  ReportContentInput,
  ReportTemplate,
  ReportVersion,
  SaveAnnotationInput,
  ShareLink,
} from './workflowTypes.js';

type WithSignal<T> = T & RequestOptions;

/** A typed client of the archive's workflow API (`/api/v1`); every call takes `signal`. */
export interface WorkflowClient {
  orders: {
    list(query?: WithSignal<OrderQuery>): Promise<Order[]>;
    get(orderId: string, options?: RequestOptions): Promise<Order>;
    /** Creates the order, its accession number, study UID and worklist entry. */
    create(input: CreateOrderInput, options?: RequestOptions): Promise<Order>;
    history(orderId: string, options?: RequestOptions): Promise<OrderHistoryEntry[]>;
    /** Moves the order (CONFLICT when the move is not allowed). */
    setStatus(
      orderId: string,
      status: OrderStatus,
      options?: WithSignal<{ reason?: string }>,
    ): Promise<Order>;
    cancel(orderId: string, options?: WithSignal<{ reason?: string }>): Promise<Order>;
  };
  /** The modality worklist as orders waiting to be performed (scheduled or arrived). */
  worklist: {
    list(query?: WithSignal<{ modality?: string; limit?: number }>): Promise<Order[]>;
  };
  reports: {
    list(query: WithSignal<{ studyInstanceUID: string }>): Promise<Report[]>;
    get(reportId: string, options?: RequestOptions): Promise<Report>;
    versions(reportId: string, options?: RequestOptions): Promise<ReportVersion[]>;
    create(input: CreateReportInput, options?: RequestOptions): Promise<Report>;
    update(reportId: string, content: ReportContentInput, options?: RequestOptions): Promise<Report>;
    /** Signs as preliminary or final (final releases it to the patient after the embargo). */
    sign(reportId: string, status: 'preliminary' | 'final', options?: RequestOptions): Promise<Report>;
    amend(
      reportId: string,
      amendment: ReportContentInput & { addendum: string },
      options?: RequestOptions,
    ): Promise<Report>;
  };
  templates: {
    list(query?: WithSignal<{ modality?: string; bodyPart?: string }>): Promise<ReportTemplate[]>;
    create(input: CreateReportTemplateInput, options?: RequestOptions): Promise<ReportTemplate>;
  };
  annotations: {
    list(query: WithSignal<AnnotationQuery>): Promise<Annotation[]>;
    /** Creates, or updates when `id` is given. */
    save(input: SaveAnnotationInput, options?: RequestOptions): Promise<Annotation>;
    delete(annotationId: string, options?: RequestOptions): Promise<void>;
  };
  accessGrants: {
    list(query?: WithSignal<{ granteeUserId?: string; patientId?: string }>): Promise<AccessGrant[]>;
    create(input: CreateAccessGrantInput, options?: RequestOptions): Promise<AccessGrant>;
    revoke(grantId: string, options?: RequestOptions): Promise<void>;
  };
  shareLinks: {
    list(query?: WithSignal<{ studyInstanceUID?: string }>): Promise<ShareLink[]>;
    create(input: CreateShareLinkInput, options?: RequestOptions): Promise<CreatedShareLink>;
    revoke(shareLinkId: string, options?: RequestOptions): Promise<void>;
    /** Exchanges a share token (and its password) for a bearer token bound to the study. */
    open(input: { token: string; password?: string }, options?: RequestOptions): Promise<OpenedShareLink>;
  };
  audit: {
    list(query?: WithSignal<AuditQuery>): Promise<AuditRecord[]>;
  };
  analytics: {
    get(query?: WithSignal<AnalyticsQuery>): Promise<Analytics>;
  };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** The workflow client over a transport rooted at the API (`https://archive.example.org/api/v1`). */
export function createWorkflowClient(http: HttpTransport): WorkflowClient {
  const call = async (
    method: Method,
    path: string,
    options: { query?: Record<string, QueryValue>; body?: unknown; signal?: AbortSignal | undefined } = {},
  ): Promise<unknown> => {
    const response = await http.request({
      method,
      path,
      accept: 'application/json',
      ...(options.query ? { query: options.query } : {}),
      ...(options.body === undefined
        ? {}
        : { body: JSON.stringify(options.body), headers: { 'Content-Type': 'application/json' } }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { value: parseJsonBody(response, http.source), status: response.status };
  };
  const object = async <T>(
    method: Method,
    path: string,
    options: Parameters<typeof call>[2] = {},
  ): Promise<T> => {
    const { value, status } = (await call(method, path, options)) as { value: unknown; status: number };
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new PacsError('BAD_RESPONSE', `${method} ${path} answered without a JSON object`, {
        source: http.source,
        httpStatus: status,
      });
    }
    return value as T;
  };
  const list = async <T>(
    path: string,
    query: Record<string, QueryValue>,
    signal?: AbortSignal,
  ): Promise<T[]> => {
    const { value, status } = (await call('GET', path, { query, signal })) as {
      value: unknown;
      status: number;
    };
    if (!Array.isArray(value)) {
      throw new PacsError('BAD_RESPONSE', `GET ${path} answered without a list`, {
        source: http.source,
        httpStatus: status,
      });
    }
    return value as T[];
  };
  const none = async (method: Method, path: string, signal?: AbortSignal): Promise<void> => {
    await call(method, path, { signal });
  };
  const id = (value: string) => encodeURIComponent(value);
  const queryOf = (options: object | undefined): Record<string, QueryValue> => {
    const query: Record<string, QueryValue> = {};
    for (const [name, value] of Object.entries(options ?? {})) {
      if (name === 'signal' || value === undefined) continue;
      query[name] = typeof value === 'boolean' ? String(value) : (value as QueryValue);
    }
    return query;
  };

  const orders: WorkflowClient['orders'] = {
    list: (query) => list('/orders', queryOf(query), query?.signal),
    get: (orderId, options) => object('GET', `/orders/${id(orderId)}`, { signal: options?.signal }),
    create: (input, options) => object('POST', '/orders', { body: input, signal: options?.signal }),
    history: (orderId, options) => list(`/orders/${id(orderId)}/history`, {}, options?.signal),
    setStatus: (orderId, status, options) =>
      object('POST', `/orders/${id(orderId)}/status`, {
        body: { status, ...(options?.reason === undefined ? {} : { reason: options.reason }) },
        signal: options?.signal,
      }),
    cancel: (orderId, options) => orders.setStatus(orderId, 'cancelled', options),
  };

  return {
    orders,
    worklist: {
      async list(query) {
        const waiting = (
          await Promise.all(
            (['scheduled', 'arrived'] as const).map((status) =>
              orders.list({
                status,
                ...(query?.limit ? { limit: query.limit } : {}),
                ...(query?.signal ? { signal: query.signal } : {}),
              }),
            ),
          )
        ).flat();
        return waiting
          .filter((order) => query?.modality === undefined || order.modality === query.modality)
          .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
      },
    },
    reports: {
      list: (query) => list('/reports', queryOf(query), query.signal),
      get: (reportId, options) => object('GET', `/reports/${id(reportId)}`, { signal: options?.signal }),
      versions: (reportId, options) => list(`/reports/${id(reportId)}/versions`, {}, options?.signal),
      create: (input, options) => object('POST', '/reports', { body: input, signal: options?.signal }),
      update: (reportId, content, options) =>
        object('PATCH', `/reports/${id(reportId)}`, { body: content, signal: options?.signal }),
      sign: (reportId, status, options) =>
        object('POST', `/reports/${id(reportId)}/sign`, { body: { status }, signal: options?.signal }),
      amend: (reportId, amendment, options) =>
        object('POST', `/reports/${id(reportId)}/amend`, { body: amendment, signal: options?.signal }),
    },
    templates: {
      list: (query) => list('/report-templates', queryOf(query), query?.signal),
      create: (input, options) =>
        object('POST', '/report-templates', { body: input, signal: options?.signal }),
    },
    annotations: {
      list: (query) => list('/annotations', queryOf(query), query.signal),
      save: (input, options) => object('POST', '/annotations', { body: input, signal: options?.signal }),
      delete: (annotationId, options) => none('DELETE', `/annotations/${id(annotationId)}`, options?.signal),
    },
    accessGrants: {
      list: (query) => list('/access-grants', queryOf(query), query?.signal),
      create: (input, options) => object('POST', '/access-grants', { body: input, signal: options?.signal }),
      revoke: (grantId, options) => none('DELETE', `/access-grants/${id(grantId)}`, options?.signal),
    },
    shareLinks: {
      list: (query) => list('/share-links', queryOf(query), query?.signal),
      create: (input, options) => object('POST', '/share-links', { body: input, signal: options?.signal }),
      revoke: (shareLinkId, options) => none('DELETE', `/share-links/${id(shareLinkId)}`, options?.signal),
      open: (input, options) => object('POST', '/share-links/open', { body: input, signal: options?.signal }),
    },
    audit: {
      list: (query) => list('/audit', { ...queryOf(query), format: 'json' }, query?.signal),
    },
    analytics: {
      get: (query) => object('GET', '/analytics', { query: queryOf(query), signal: query?.signal }),
    },
  };
}
