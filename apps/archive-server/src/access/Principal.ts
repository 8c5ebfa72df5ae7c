import type { PatientScope } from './PatientScope.js';
import type { Permission, Role } from './permissions.js';

/** How the principal proved who it is. */
export type AuthenticationMethod = 'password' | 'jwt' | 'oidc' | 'basic' | 'api-key' | 'share-link';

/**
 * Who is calling, with what rights. Structurally a superset of the core's
 * `security/Principal` (`subject`, `admin`), so front ends can carry it unchanged.
 */
export interface Principal {
  /** Stable subject: `user:<id>`, `oidc:<iss>#<sub>`, `api-key:<id>`, `share-link:<id>`. */
  subject: string;
  /** True for ADMIN (radiology:manage). */
  admin: boolean;
  /** Our user id when the principal is (or acts for) a local user. */
  userId?: string;
  /** User name for audit trails (never a patient identifier). */
  displayName: string;
  roles: Role[];
  permissions: Permission[];
  method: AuthenticationMethod;
  /** Computed at authentication from linked PatientIDs and active grants (or the share link). */
  patientScope: PatientScope;
  /** The JWT id, for revocation of this access token. */
  tokenId?: string;
  /** Set for share-link principals: the one study and whether download is allowed. */
  shareLink?: { id: string; studyInstanceUID: string; allowDownload: boolean };
}
