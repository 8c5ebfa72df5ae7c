import { createContext, useContext } from 'react';
import type { Messages } from '../i18n/messagesEn.js';
import type { Translate } from '../i18n/translate.js';
import type { PacsWorkflowClient } from '../workflow/pacsWorkflowClient.js';
import type { PacsClient } from './pacsClient.js';

export type PacsThemeMode = 'light' | 'dark';

/** Brand colours and shape; each becomes a `--pacs-*` CSS variable on every component root. */
export interface PacsBrand {
  primary?: string;
  primaryText?: string;
  focus?: string;
  radius?: string;
  font?: string;
}

export interface PacsContextValue {
  client: PacsClient;
  /** The workflow client (orders, reports, grants…), when the host passed one. */
  workflow: PacsWorkflowClient | undefined;
  locale: string;
  messages: Messages;
  t: Translate;
  theme: PacsThemeMode;
  brand: PacsBrand;
  getAccessToken: (() => string | undefined | Promise<string | undefined>) | undefined;
  imageIds: ImageIdOptions | undefined;
}

/** Where the viewer's image IDs point (see the SDK's `buildImageIds`). */
export interface ImageIdOptions {
  /** The DICOMweb root, e.g. `https://pacs.example.org/dicom-web`. */
  baseUrl: string;
  scheme?: 'wadors' | 'wadouri';
  /** WADO-URI endpoint for `wadouri:` IDs (default `baseUrl` + `/wado`). */
  wadoUriUrl?: string;
}

export const PacsContext = createContext<PacsContextValue | null>(null);
PacsContext.displayName = 'PacsContext';

export function usePacsContext(hookName: string): PacsContextValue {
  const value = useContext(PacsContext);
  if (value === null) throw new Error(`\`${hookName}\` must be used within \`PacsProvider\``);
  return value;
}
