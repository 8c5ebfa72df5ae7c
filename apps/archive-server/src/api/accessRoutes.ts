import { PacsError } from '@pacskit/dicom';
import { z } from 'zod';
import type { AccessGrantRecord, ShareLinkRecord } from '../access/AccessStore.js';
import { canDownload } from '../access/PatientScope.js';
import { roles } from '../access/permissions.js';
import type { ApiDependencies } from './ApiDependencies.js';
import { type ApiRoute, route } from './ApiRoute.js';
import { idSchema, isoInstantSchema, patientIdSchema, personNameSchema, uidSchema } from './schemas.js';
import { actorId, requirePrincipal, visibleStudy } from './studyAccess.js';

function grantView(grant: AccessGrantRecord) {
  return {
    id: grant.id,
    granteeUserId: grant.granteeUserId,
    scopeType: grant.scopeType,
    patientId: grant.patientId,
    studyInstanceUID: grant.studyInstanceUID,
    accessType: grant.accessType,
    consentGiven: grant.consentGiven,
    expiresAt: grant.expiresAt === undefined ? undefined : new Date(grant.expiresAt).toISOString(),
    grantedBy: grant.grantedBy,
    createdAt: new Date(grant.createdAt).toISOString(),
    revokedAt: grant.revokedAt === undefined ? undefined : new Date(grant.revokedAt).toISOString(),
  };
}

function shareLinkView(link: ShareLinkRecord) {
  return {
    id: link.id,
    studyInstanceUID: link.studyInstanceUID,
    allowDownload: link.allowDownload,
    passwordProtected: link.passwordHash !== undefined,
    expiresAt: new Date(link.expiresAt).toISOString(),
    createdAt: new Date(link.createdAt).toISOString(),
    revokedAt: link.revokedAt === undefined ? undefined : new Date(link.revokedAt).toISOString(),
    useCount: link.useCount,
  };
}

const userBody = z.strictObject({
  username: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only'),
  password: z.string().min(8).max(1024),
  displayName: personNameSchema.optional(),
  roles: z.array(z.enum(roles)).min(1).max(6),
  patientIds: z.array(patientIdSchema).max(32).optional(),
});

/** Users, API keys, consent grants and share links. */
export function accessRoutes(deps: ApiDependencies): ApiRoute[] {
  return [
    route({
      method: 'POST',
      url: '/api/v1/users',
      summary: 'Create a user (roles, linked PatientIDs)',
      tag: 'access',
      auth: 'radiology:manage',
      body: userBody,
      successStatus: 201,
      audit: { type: 'user.create', category: 'security-alert', action: 'C' },
      async handler({ body, audit }) {
        const user = await deps.access.createUser({
          username: body.username,
          password: body.password,
          roles: body.roles,
          ...(body.displayName ? { displayName: body.displayName } : {}),
          ...(body.patientIds ? { patientIds: body.patientIds } : {}),
        });
        audit.detail = { userId: user.id };
        return { id: user.id, username: user.username, roles: user.roles, patientIds: user.patientIds };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/users',
      summary: 'List users',
      tag: 'access',
      auth: 'radiology:manage',
      audit: { type: 'user.list', category: 'security-alert', action: 'R' },
      async handler() {
        return (await deps.access.store.listUsers()).map((u) => ({
          id: u.id,
          username: u.username,
          displayName: u.displayName,
          roles: u.roles,
          patientIds: u.patientIds,
          disabled: u.disabled,
        }));
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/api-keys',
      summary: 'Create an API key for a machine client (the key is shown once)',
      tag: 'access',
      auth: 'radiology:manage',
      body: z.strictObject({
        name: z.string().min(1).max(64),
        roles: z.array(z.enum(roles)).min(1).max(6),
        userId: idSchema.optional(),
      }),
      successStatus: 201,
      audit: { type: 'api-key.create', category: 'security-alert', action: 'C' },
      async handler({ body, principal, audit }) {
        const { key, record } = await deps.access.createApiKey({
          name: body.name,
          roles: body.roles,
          ...(body.userId ? { userId: body.userId } : {}),
          createdBy: actorId(requirePrincipal(principal)),
        });
        audit.detail = { apiKeyId: record.id };
        return { id: record.id, key, name: record.name, roles: record.roles };
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/api-keys/:apiKeyId',
      summary: 'Revoke an API key',
      tag: 'access',
      auth: 'radiology:manage',
      params: z.strictObject({ apiKeyId: idSchema }),
      audit: { type: 'api-key.revoke', category: 'security-alert', action: 'D' },
      async handler({ params }) {
        if (!(await deps.access.store.revokeApiKey(params.apiKeyId, deps.clock.now()))) {
          throw new PacsError('NOT_FOUND', 'not found');
        }
        return undefined;
      },
    }),

    // ── access grants ─────────────────────────────────────────────────────────────────────────
    route({
      method: 'POST',
      url: '/api/v1/access-grants',
      summary: 'Grant access (patient, one study, or all studies; view or download; expiry; consent)',
      tag: 'access',
      auth: 'radiology:view',
      body: z.strictObject({
        granteeUserId: idSchema,
        scopeType: z.enum(['patient', 'study', 'all']),
        patientId: patientIdSchema.optional(),
        studyInstanceUID: uidSchema.optional(),
        accessType: z.enum(['view', 'download']),
        consentGiven: z.boolean(),
        expiresAt: isoInstantSchema.optional(),
      }),
      successStatus: 201,
      audit: { type: 'grant.create', category: 'security-alert', action: 'C' },
      async handler({ body, principal, audit }) {
        const p = requirePrincipal(principal);
        if (!p.admin) {
          // A patient may record consent for their own linked PatientIDs, nothing else.
          const self = p.userId ? await deps.access.store.findUserById(p.userId) : undefined;
          const own =
            self !== undefined &&
            body.granteeUserId === self.id &&
            body.scopeType !== 'all' &&
            body.patientId !== undefined &&
            self.patientIds.includes(body.patientId);
          if (!own) throw new PacsError('FORBIDDEN', 'this operation is not permitted');
        }
        if (body.patientId) audit.patientId = body.patientId;
        if (body.studyInstanceUID) audit.studyInstanceUID = body.studyInstanceUID;
        const grant = await deps.access.createGrant(
          {
            granteeUserId: body.granteeUserId,
            scopeType: body.scopeType,
            accessType: body.accessType,
            consentGiven: body.consentGiven,
            ...(body.patientId ? { patientId: body.patientId } : {}),
            ...(body.studyInstanceUID ? { studyInstanceUID: body.studyInstanceUID } : {}),
            ...(body.expiresAt ? { expiresAt: Date.parse(body.expiresAt) } : {}),
          },
          actorId(p),
        );
        audit.detail = { grantId: grant.id };
        return grantView(grant);
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/access-grants',
      summary: 'List grants (admins: all, filtered; others: their own)',
      tag: 'access',
      auth: 'authenticated',
      query: z.strictObject({ granteeUserId: idSchema.optional(), patientId: patientIdSchema.optional() }),
      audit: { type: 'grant.list', category: 'patient-record', action: 'R' },
      async handler({ query, principal, audit }) {
        if (query.patientId) audit.patientId = query.patientId;
        const p = requirePrincipal(principal);
        const filter = p.admin
          ? {
              ...(query.granteeUserId ? { granteeUserId: query.granteeUserId } : {}),
              ...(query.patientId ? { patientId: query.patientId } : {}),
            }
          : { granteeUserId: p.userId ?? '-' };
        return (await deps.access.store.listGrants(filter)).map(grantView);
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/access-grants/:grantId',
      summary: 'Revoke a grant (admins, or the grantee withdrawing consent)',
      tag: 'access',
      auth: 'authenticated',
      params: z.strictObject({ grantId: idSchema }),
      audit: { type: 'grant.revoke', category: 'security-alert', action: 'D' },
      async handler({ params, principal, audit }) {
        const p = requirePrincipal(principal);
        const grant = await deps.access.store.findGrant(params.grantId);
        if (!grant || (!p.admin && grant.granteeUserId !== p.userId))
          throw new PacsError('NOT_FOUND', 'not found');
        if (grant.patientId) audit.patientId = grant.patientId;
        audit.detail = { grantId: grant.id };
        await deps.access.store.revokeGrant(grant.id, deps.clock.now(), actorId(p));
        return undefined;
      },
    }),

    // ── share links ───────────────────────────────────────────────────────────────────────────
    route({
      method: 'POST',
      url: '/api/v1/share-links',
      summary: 'Create a time-limited, revocable link to one study (optional password, download on/off)',
      tag: 'share-links',
      auth: 'radiology:view',
      body: z.strictObject({
        studyInstanceUID: uidSchema,
        expiresInSeconds: z
          .number()
          .int()
          .min(60)
          .max(90 * 24 * 3600),
        password: z.string().min(4).max(256).optional(),
        allowDownload: z.boolean().default(false),
      }),
      successStatus: 201,
      audit: { type: 'share-link.create', category: 'export', action: 'C' },
      async handler({ body, principal, audit }) {
        const p = requirePrincipal(principal);
        if (p.method === 'share-link') throw new PacsError('FORBIDDEN', 'this operation is not permitted');
        await visibleStudy(deps, p, body.studyInstanceUID, audit);
        if (body.allowDownload && !canDownload(p.patientScope)) {
          throw new PacsError('FORBIDDEN', 'this operation is not permitted');
        }
        const { token, record } = await deps.access.createShareLink(
          {
            studyInstanceUID: body.studyInstanceUID,
            expiresInSeconds: body.expiresInSeconds,
            allowDownload: body.allowDownload,
            ...(body.password ? { password: body.password } : {}),
          },
          actorId(p),
        );
        audit.detail = { shareLinkId: record.id };
        return {
          ...shareLinkView(record),
          token,
          ...(deps.shareLinkBaseUrl
            ? { url: `${deps.shareLinkBaseUrl}?share=${encodeURIComponent(token)}` }
            : {}),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/share-links',
      summary: 'List share links (admins: all; others: the ones they created)',
      tag: 'share-links',
      auth: 'radiology:view',
      audit: { type: 'share-link.list', category: 'export', action: 'R' },
      query: z.strictObject({ studyInstanceUID: uidSchema.optional() }),
      async handler({ query, principal }) {
        const p = requirePrincipal(principal);
        const links = await deps.access.store.listShareLinks({
          ...(query.studyInstanceUID ? { studyInstanceUID: query.studyInstanceUID } : {}),
          ...(p.admin ? {} : { createdBy: actorId(p) }),
        });
        return links.map(shareLinkView);
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/share-links/:shareLinkId',
      summary: 'Revoke a share link (its creator or an admin)',
      tag: 'share-links',
      auth: 'radiology:view',
      params: z.strictObject({ shareLinkId: idSchema }),
      audit: { type: 'share-link.revoke', category: 'export', action: 'D' },
      async handler({ params, principal, audit }) {
        const p = requirePrincipal(principal);
        const link = await deps.access.store.findShareLink(params.shareLinkId);
        if (!link || (!p.admin && link.createdBy !== actorId(p)))
          throw new PacsError('NOT_FOUND', 'not found');
        audit.studyInstanceUID = link.studyInstanceUID;
        audit.detail = { shareLinkId: link.id };
        await deps.access.store.revokeShareLink(link.id, deps.clock.now());
        return undefined;
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/share-links/open',
      summary: 'Open a share link (with its password) and get an access token bound to it',
      tag: 'share-links',
      auth: 'public',
      body: z.strictObject({ token: z.string().min(1).max(256), password: z.string().max(256).optional() }),
      audit: { type: 'share-link.open', category: 'instances-accessed', action: 'R' },
      async handler({ body, request, audit }) {
        deps.authRateLimiter.hit(`ip:${request.ip}`);
        const opened = await deps.access.openShareLink(body.token, body.password);
        request.accessPrincipal = opened.principal;
        audit.studyInstanceUID = opened.link.studyInstanceUID;
        audit.detail = { shareLinkId: opened.link.id };
        return {
          access_token: opened.accessToken,
          token_type: 'Bearer',
          expires_in: opened.expiresIn,
          studyInstanceUID: opened.link.studyInstanceUID,
          allowDownload: opened.link.allowDownload,
        };
      },
    }),
  ];
}
