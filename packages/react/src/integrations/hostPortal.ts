import type { QueryClient } from '@tanstack/react-query';
import type { Messages } from '../i18n/messagesEn.js';
import type { PacsClient } from '../provider/pacsClient.js';
import type { PacsBrand, PacsThemeMode } from '../provider/pacsContext.js';
import type { PacsWorkflowClient } from '../workflow/pacsWorkflowClient.js';

/** The signed-in user of the host portal. Only ids go to the archive; names stay in the UI. */
export interface HostUser {
  id: string;
  displayName?: string;
  /** For a patient: their patient ID in the archive. */
  patientId?: string;
}

/** The permissions of DESIGN.md (`radiology:view`, `radiology:report`, …); unknown ones are ignored. */
export type RadiologyPermission =
  | 'radiology:view'
  | 'radiology:create'
  | 'radiology:edit'
  | 'radiology:upload'
  | 'radiology:annotate'
  | 'radiology:report'
  | 'radiology:manage';

/** What every integration takes from the host portal. */
export interface HostPortalProps {
  /** Built by the host with its own auth (e.g. the SDK's archive adapter with the token provider). */
  client: PacsClient;
  workflow?: PacsWorkflowClient;
  user: HostUser;
  /** The host's token provider; also used for the viewer's own image requests. */
  getAccessToken: () => string | undefined | Promise<string | undefined>;
  permissions: readonly string[];
  queryClient?: QueryClient;
  locale?: string;
  messages?: Partial<Messages>;
  theme?: PacsThemeMode;
  brand?: PacsBrand;
}
