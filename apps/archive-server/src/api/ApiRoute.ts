import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Principal } from '../access/Principal.js';
import type { Permission } from '../access/permissions.js';
import type { AuditAction, AuditCategory } from '../audit/AuditEvent.js';

/** Who may call a route: anyone, any authenticated principal, or holders of a permission. */
export type RouteAuth = 'public' | 'authenticated' | Permission;

/** What the handler tells the audit trail about the request (patient, study, ids). */
export interface AuditContext {
  patientId?: string;
  studyInstanceUID?: string;
  detail?: Record<string, string | number | boolean>;
  /** A 404 that hides something the caller may not see: audited as `denied`, answered as not found. */
  hidden?: boolean;
}

export interface ApiContext<P, Q, B> {
  principal: Principal | undefined;
  params: P;
  query: Q;
  body: B;
  request: FastifyRequest;
  reply: FastifyReply;
  audit: AuditContext;
}

type Schema = z.ZodType;
type Infer<S> = S extends Schema ? z.output<S> : undefined;

export interface ApiRouteSpec<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Full path in Fastify syntax (`/api/v1/orders/:orderId`). */
  url: string;
  summary: string;
  tag: string;
  auth: RouteAuth;
  params?: P;
  query?: Q;
  body?: B;
  /** Response body schema, for the OpenAPI document. */
  response?: Schema;
  successStatus?: number;
  /** When set, a successful call is audited with this event; errors are always audited. */
  audit?: { type: string; category: AuditCategory; action: AuditAction };
  /** Produces something other than JSON (documented in OpenAPI). */
  produces?: string;
  handler(context: ApiContext<Infer<P>, Infer<Q>, Infer<B>>): Promise<unknown>;
}

/** A route with its types erased, as the registry and the OpenAPI generator hold it. */
export type ApiRoute = ApiRouteSpec<Schema | undefined, Schema | undefined, Schema | undefined>;

/** Declares a route with inference of params/query/body from the zod schemas. */
export function route<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
>(spec: ApiRouteSpec<P, Q, B>): ApiRoute {
  return spec as unknown as ApiRoute;
}
