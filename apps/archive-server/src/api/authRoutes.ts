import { z } from 'zod';
import type { ApiDependencies } from './ApiDependencies.js';
import { type ApiRoute, route } from './ApiRoute.js';
import { requirePrincipal } from './studyAccess.js';

const tokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number(),
  refresh_token: z.string(),
});

/** Token endpoint (password and refresh_token grants, RFC 6749 4.3/6), revocation (RFC 7009), me. */
export function authRoutes(deps: ApiDependencies): ApiRoute[] {
  return [
    route({
      method: 'POST',
      url: '/api/v1/auth/token',
      summary: 'Issue an access + refresh token pair (password grant for the demo, or refresh_token)',
      tag: 'auth',
      auth: 'public',
      body: z.discriminatedUnion('grant_type', [
        z.strictObject({
          grant_type: z.literal('password'),
          username: z.string().min(1).max(128),
          password: z.string().min(1).max(1024),
        }),
        z.strictObject({ grant_type: z.literal('refresh_token'), refresh_token: z.string().min(1).max(256) }),
      ]),
      response: tokenResponse,
      audit: { type: 'auth.token', category: 'authentication', action: 'E' },
      async handler({ body, request, audit }) {
        deps.authRateLimiter.hit(`ip:${request.ip}`);
        if (body.grant_type === 'password') deps.authRateLimiter.hit(`user:${body.username}`);
        const { user, tokens } =
          body.grant_type === 'password'
            ? await deps.access.login(body.username, body.password)
            : await deps.access.refresh(body.refresh_token);
        audit.detail = { grant: body.grant_type, userId: user.id };
        return {
          access_token: tokens.accessToken,
          token_type: tokens.tokenType,
          expires_in: tokens.expiresIn,
          refresh_token: tokens.refreshToken,
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/revoke',
      summary: 'Revoke an access or refresh token (RFC 7009: always 200)',
      tag: 'auth',
      auth: 'public',
      body: z.strictObject({ token: z.string().min(1).max(8192) }),
      audit: { type: 'auth.revoke', category: 'authentication', action: 'E' },
      async handler({ body, request }) {
        deps.authRateLimiter.hit(`ip:${request.ip}`);
        await deps.access.revokeToken(body.token);
        return { revoked: true };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/logout-all',
      summary: "Revoke every token of the caller's user",
      tag: 'auth',
      auth: 'authenticated',
      audit: { type: 'auth.logout-all', category: 'authentication', action: 'E' },
      async handler({ principal }) {
        const p = requirePrincipal(principal);
        if (p.userId) await deps.access.revokeAllTokens(p.userId);
        return undefined;
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/me',
      summary: 'The caller: roles, permissions and patient scope',
      tag: 'auth',
      auth: 'authenticated',
      response: z.object({
        subject: z.string(),
        roles: z.array(z.string()),
        permissions: z.array(z.string()),
        method: z.string(),
        patientScope: z.unknown(),
      }),
      async handler({ principal }) {
        const p = requirePrincipal(principal);
        return {
          subject: p.subject,
          displayName: p.displayName,
          roles: p.roles,
          permissions: p.permissions,
          method: p.method,
          patientScope: p.patientScope,
        };
      },
    }),
  ];
}
