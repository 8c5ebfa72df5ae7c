import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../access/Principal.js';
import type { AuditCategory, AuditEventInput } from '../audit/AuditEvent.js';
import type { AuditLog } from '../audit/createAuditLog.js';

function stringParam(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' && /^[0-9.]{1,64}$/.test(v) ? v : undefined;
}

export interface HttpAuditHookOptions {
  /**
   * How long an access record may wait before it is committed (default 100 ms). Records waiting
   * together share one transaction and one fsync instead of one each.
   */
  flushIntervalMs?: number;
  /** Commit at once when this many records wait (default 256), whatever the interval. */
  maxPending?: number;
}

/** The onResponse hook, plus `flush` to commit what waits (register it as an onClose hook). */
export type HttpAuditHook = ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) & {
  flush(): Promise<void>;
};

/**
 * An onResponse hook that audits every DICOMweb request (PS3.15 A.5.3: Query for QIDO-RS,
 * Instances Accessed for WADO, Import for STOW-RS): actor, route pattern, study UID from the path
 * or the WADO-URI query, client address, HTTP status and outcome. Requests refused before a
 * principal existed are already audited by `createAuthenticateHook`. Register it inside the
 * DICOMweb plugin's scope (or filter with `include`) so API routes are not audited twice.
 *
 * Durability: a record is committed (fsynced, hash-chained) at most `flushIntervalMs` after its
 * response, and `flush()` — run it from the server's onClose — commits everything still waiting, so a
 * clean shutdown loses nothing. A crash (kill -9, power loss) can lose the records of the responses
 * of the last interval. Committing per request instead would put one synchronous fsync on the
 * event loop between every two requests: it was half of a QIDO-RS request's time.
 */
export function createHttpAuditHook(
  audit: AuditLog,
  include: (url: string) => boolean = () => true,
  options: HttpAuditHookOptions = {},
): HttpAuditHook {
  const flushIntervalMs = options.flushIntervalMs ?? 100;
  const maxPending = options.maxPending ?? 256;
  // Only the events wait, not the requests: holding a request for the interval kept it (and its
  // socket's objects) alive into the old generation, and the garbage collector paid for that.
  let pending: AuditEventInput[] = [];
  let log: FastifyBaseLogger | undefined;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<unknown> = Promise.resolve();

  const flush = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    // createAuditLog commits records recorded in one tick as one transaction.
    const written = Promise.all(
      batch.map((event) =>
        audit.record(event).catch((error: unknown) => log?.error({ err: error }, 'audit write failed')),
      ),
    );
    writing = Promise.all([writing, written]);
    await writing;
  };

  const hook = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const principal = (request as FastifyRequest & { accessPrincipal?: Principal }).accessPrincipal;
    if (!principal || !include(request.url)) return;
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const study = stringParam(request.params, 'study') ?? stringParam(request.query, 'studyUID');
    const category: AuditCategory =
      request.method === 'POST'
        ? 'import'
        : /\/(studies|series|instances)$/.test(route)
          ? 'query'
          : 'instances-accessed';
    log ??= request.server.log;
    pending.push({
      type: `dicomweb.${request.method.toLowerCase()}`,
      category,
      action:
        request.method === 'POST'
          ? 'C'
          : request.method === 'DELETE'
            ? 'D'
            : category === 'query'
              ? 'E'
              : 'R',
      outcome:
        status < 400 ? 'success' : status === 401 || status === 403 || status === 404 ? 'denied' : 'failure',
      actor: principal.subject,
      actorRoles: principal.roles,
      sourceAddress: request.ip,
      protocol: 'http',
      operation: `${request.method} ${route}`,
      ...(study !== undefined ? { studyInstanceUID: study } : {}),
      detail: { status },
    });
    if (pending.length >= maxPending) void flush();
    else timer ??= setTimeout(() => void flush(), flushIntervalMs);
  };
  return Object.assign(hook, { flush });
}
