import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import type { Messages } from '../i18n/messagesEn.js';
import { createTranslate, resolveMessages } from '../i18n/translate.js';
import { pacsStyles } from '../theme/pacsStyles.js';
import type { PacsWorkflowClient } from '../workflow/pacsWorkflowClient.js';
import type { PacsClient } from './pacsClient.js';
import {
  type ImageIdOptions,
  type PacsBrand,
  PacsContext,
  type PacsContextValue,
  type PacsThemeMode,
} from './pacsContext.js';

export interface PacsProviderProps {
  /** A `PacsAdapter` or the SDK's federated client, built by the app. */
  client: PacsClient;
  /** The host's QueryClient, to share its cache; a private one is created otherwise. */
  queryClient?: QueryClient;
  /** The workflow client (orders, worklist, reports, grants, share links, audit). */
  workflow?: PacsWorkflowClient;
  /** BCP 47 locale; built in: English (`en`) and French (`fr`). */
  locale?: string;
  /** Overrides or a whole catalogue for another language. */
  messages?: Partial<Messages>;
  theme?: PacsThemeMode;
  brand?: PacsBrand;
  /**
   * The host's access token, asked before each image request the viewer makes itself (Cornerstone
   * fetches pixels directly, outside the SDK client), sent as `Authorization: Bearer`.
   */
  getAccessToken?: () => string | undefined | Promise<string | undefined>;
  /**
   * How the viewer's image IDs are built when the client has no `imageIdsForSeries`: the SDK's
   * `buildImageIds` over this DICOMweb root (`wadors:` by default).
   */
  imageIds?: ImageIdOptions;
  children?: ReactNode;
}

function createDefaultQueryClient(): QueryClient {
  // Images and DICOM metadata of a study do not change once stored, so results stay fresh for a
  // minute and are not refetched on window focus (a radiologist alt-tabs a lot).
  return new QueryClient({
    defaultOptions: { queries: { staleTime: 60_000, refetchOnWindowFocus: false, retry: 1 } },
  });
}

/**
 * Hands the app's PACS client, workflow client, locale and theme to every PacsKit hook and
 * component. It renders no element of its own (so it never changes the host's layout) apart from
 * the scoped stylesheet, which React 19 hoists into <head> once.
 */
export function PacsProvider({
  client,
  queryClient,
  workflow,
  locale = 'en',
  messages,
  theme = 'light',
  brand,
  getAccessToken,
  imageIds,
  children,
}: PacsProviderProps) {
  const [ownQueryClient] = useState(() => queryClient ?? createDefaultQueryClient());
  const value = useMemo<PacsContextValue>(() => {
    const resolved = resolveMessages(locale, messages);
    return {
      client,
      workflow,
      locale,
      messages: resolved,
      t: createTranslate(resolved),
      theme,
      brand: brand ?? {},
      getAccessToken,
      imageIds,
    };
  }, [client, workflow, locale, messages, theme, brand, getAccessToken, imageIds]);
  return (
    <QueryClientProvider client={queryClient ?? ownQueryClient}>
      <PacsContext.Provider value={value}>
        <style href="pacskit-styles" precedence="pacskit">
          {pacsStyles}
        </style>
        {children}
      </PacsContext.Provider>
    </QueryClientProvider>
  );
}
