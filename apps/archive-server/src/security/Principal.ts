/**
 * Who is calling. Services receive it with each call; the workflow/security issue adds roles,
 * permissions (radiology:view/…/manage) and patient scope here without changing the services' shape.
 */
export interface Principal {
  /** Stable subject id (user name, AE title, token subject). */
  subject: string;
  /** Whether the principal may administer the archive (DELETE, configuration). */
  admin: boolean;
}

// The authentication hook (api/createAuthenticateHook.ts) puts the caller here for the front ends.
declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
