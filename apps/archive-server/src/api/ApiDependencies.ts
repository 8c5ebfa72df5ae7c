import type { Clock } from '../access/AccessConfig.js';
import type { AccessControl } from '../access/createAccessControl.js';
import type { RateLimiter } from '../access/createRateLimiter.js';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { Workflow } from '../workflow/createWorkflow.js';
import type { StudyCatalog } from './StudyCatalog.js';

/** Everything the API front end calls; it never sees a database handle. */
export interface ApiDependencies {
  access: AccessControl;
  audit: AuditLog;
  workflow: Workflow;
  studies: StudyCatalog;
  clock: Clock;
  /** Attempts on the auth routes (token, share-link open) per client address. */
  authRateLimiter: RateLimiter;
  /** Public base URL of the patient viewer, for share-link URLs (`<base>?share=<token>`). */
  shareLinkBaseUrl?: string;
}
