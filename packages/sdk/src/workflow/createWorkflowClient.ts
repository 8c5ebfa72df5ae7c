import { PacsError } from '@pacskit/dicom';
import { parseJsonBody } from '../http/httpTransport.js';
import type { HttpTransport, QueryValue } from '../http/httpTransport.js';
import type { RequestOptions } from '../pacsAdapter.js';
import type {
  AccessGrant,
  AnalyticsQuery,
  AnalyticsSummary,
  Annotation,
  AuditEvent,
  AuditQuery,
  CreateAccessGrantInput,
  CreateAnnotationInput,
  CreateOrderInput,
  CreateReportInput,
  CreateShareLinkInput,
  Order,
  OrderQuery,
  Page,
  Report,
  ReportTemplate,
  ShareLink,
  UpdateReportInput,
  WorklistItem,
  WorklistQuery,
} from './workflowTypes.js';

/** A typed client of the archive's workflow API (`/api/v1`); every call takes `signal`. */
export interface WorkflowClient {
  orders: {
    list(query?: OrderQuery & RequestOptions): Promise<Page<Order>>;
    get(id: string, options?: RequestOptions): Promise<Order>;
    create(input: CreateOrderInput, options?: RequestOptions): Promise<Order>;
    update(id: string, patch: Partial<CreateOrderInput>, options?: RequestOptions): Promise<Order>;
    cancel(id: string, options?: RequestOptions & { reason?: string }): Promise<Order>;
  };
  worklist: {
    list(query?: WorklistQuery & RequestOptions): Promise<Page<WorklistItem>>;
  };
  reports: {
    list(query?: { studyInstanceUID?: string } & RequestOptions): Promise<Page<Report>>;
    get(id: string, options?: RequestOptions): Promise<Report>;
    create(input: CreateReportInput, options?: RequestOptions): Promise<Report>;
    update(id: string, patch: UpdateReportInput, options?: RequestOptions): Promise<Report>;
    /** Signs the report: draft/preliminary → final. */
    finalize(id: string, options?: RequestOptions): Promise<Report>;
    /** A signed report's correction: final → amended. */
    amend(id: string, patch: UpdateReportInput, options?: RequestOptions): Promise<Report>;
  };
  templates: {
    list(query?: { modality?: string } & RequestOptions): Promise<ReportTemplate[]>;
    get(id: string, options?: RequestOptions): Promise<ReportTemplate>;
  };
  annotations: {
    list(query: { studyInstanceUID: string } & RequestOptions): Promise<Annotation[]>;
    create(input: CreateAnnotationInput, options?: RequestOptions): Promise<Annotation>;
    update(id: string, patch: Partial<CreateAnnotationInput>, options?: RequestOptions): Promise<Annotation>;
    delete(id: string, options?: RequestOptions): Promise<void>;
  };
  accessGrants: {
    list(query?: { granteeUserId?: string; patientId?: string } & RequestOptions): Promise<AccessGrant[]>;
    create(input: CreateAccessGrantInput, options?: RequestOptions): Promise<AccessGrant>;
    revoke(id: string, options?: RequestOptions): Promise<void>;
  };
  shareLinks: {
    list(query?: { studyInstanceUID?: string } & RequestOptions): Promise<ShareLink[]>;
    create(input: CreateShareLinkInput, options?: RequestOptions): Promise<ShareLink>;
    revoke(id: string, options?: RequestOptions): Promise<void>;
  };
  audit: {
    list(query?: AuditQuery & RequestOptions): Promise<Page<AuditEvent>>;
  };
  analytics: {
    summary(query: AnalyticsQuery & RequestOptions): Promise<AnalyticsSummary>;
  };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** The workflow client over a transport rooted at the API (`https://archive.example.org/api/v1`). */
export function createWorkflowClient(http: HttpTransport): WorkflowClient {
  const request = async <T>(
    method: Method,
    path: string,
    options: { query?: Record<string, QueryValue>; body?: unknown; signal?: AbortSignal | undefined } = {},
  ): Promise<T> => {
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
    const value = parseJsonBody(response, http.source);
    if (method !== 'DELETE' && (value === undefined || value === null || typeof value !== 'object')) {
      throw new PacsError('BAD_RESPONSE', `${method} ${path} answered without a JSON object`, {
        source: http.source,
        httpStatus: response.status,
      });
    }
    return value as T;
  };
  const list = async <T>(path: string, query: Record<string, QueryValue>, signal?: AbortSignal) => {
    const value = await request<unknown>('GET', path, { query, signal });
    // A bare array or { items }: both are lists; anything else is not.
    if (Array.isArray(value)) return value as T[];
    const items = (value as { items?: unknown }).items;
    if (!Array.isArray(items)) {
      throw new PacsError('BAD_RESPONSE', `GET ${path} answered without a list`, { source: http.source });
    }
    return items as T[];
  };
  const page = async <T>(
    path: string,
    query: Record<string, QueryValue>,
    signal?: AbortSignal,
  ): Promise<Page<T>> => {
    const value = await request<unknown>('GET', path, { query, signal });
    if (Array.isArray(value)) return { items: value as T[] };
    const body = value as Partial<Page<T>>;
    if (!Array.isArray(body.items)) {
      throw new PacsError('BAD_RESPONSE', `GET ${path} answered without items`, { source: http.source });
    }
    return body as Page<T>;
  };
  const id = (value: string) => encodeURIComponent(value);
  const strip = <T extends RequestOptions>(options: T | undefined): Record<string, QueryValue> => {
    const { signal: _signal, ...rest } = options ?? ({} as T);
    return rest as Record<string, QueryValue>;
  };

  return {
    orders: {
      list: (query) => page('/orders', strip(query), query?.signal),
      get: (orderId, options) => request('GET', `/orders/${id(orderId)}`, { signal: options?.signal }),
      create: (input, options) => request('POST', '/orders', { body: input, signal: options?.signal }),
      update: (orderId, patch, options) =>
        request('PATCH', `/orders/${id(orderId)}`, { body: patch, signal: options?.signal }),
      cancel: (orderId, options) =>
        request('POST', `/orders/${id(orderId)}/cancel`, {
          body: options?.reason === undefined ? {} : { reason: options.reason },
          signal: options?.signal,
        }),
    },
    worklist: {
      list: (query) => page('/worklist', strip(query), query?.signal),
    },
    reports: {
      list: (query) => page('/reports', strip(query), query?.signal),
      get: (reportId, options) => request('GET', `/reports/${id(reportId)}`, { signal: options?.signal }),
      create: (input, options) => request('POST', '/reports', { body: input, signal: options?.signal }),
      update: (reportId, patch, options) =>
        request('PATCH', `/reports/${id(reportId)}`, { body: patch, signal: options?.signal }),
      finalize: (reportId, options) =>
        request('POST', `/reports/${id(reportId)}/finalize`, { body: {}, signal: options?.signal }),
      amend: (reportId, patch, options) =>
        request('POST', `/reports/${id(reportId)}/amend`, { body: patch, signal: options?.signal }),
    },
    templates: {
      list: (query) => list('/report-templates', strip(query), query?.signal),
      get: (templateId, options) =>
        request('GET', `/report-templates/${id(templateId)}`, { signal: options?.signal }),
    },
    annotations: {
      list: (query) => list('/annotations', strip(query), query.signal),
      create: (input, options) => request('POST', '/annotations', { body: input, signal: options?.signal }),
      update: (annotationId, patch, options) =>
        request('PATCH', `/annotations/${id(annotationId)}`, { body: patch, signal: options?.signal }),
      delete: async (annotationId, options) => {
        await request('DELETE', `/annotations/${id(annotationId)}`, { signal: options?.signal });
      },
    },
    accessGrants: {
      list: (query) => list('/access-grants', strip(query), query?.signal),
      create: (input, options) => request('POST', '/access-grants', { body: input, signal: options?.signal }),
      revoke: async (grantId, options) => {
        await request('DELETE', `/access-grants/${id(grantId)}`, { signal: options?.signal });
      },
    },
    shareLinks: {
      list: (query) => list('/share-links', strip(query), query?.signal),
      create: (input, options) => request('POST', '/share-links', { body: input, signal: options?.signal }),
      revoke: async (linkId, options) => {
        await request('DELETE', `/share-links/${id(linkId)}`, { signal: options?.signal });
      },
    },
    audit: {
      list: (query) => page('/audit', strip(query), query?.signal),
    },
    analytics: {
      summary: (query) => request('GET', '/analytics/summary', { query: strip(query), signal: query.signal }),
    },
  };
}
