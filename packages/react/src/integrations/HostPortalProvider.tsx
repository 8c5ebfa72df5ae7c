import type { ReactNode } from 'react';
import { PacsProvider } from '../provider/PacsProvider.js';
import type { HostPortalProps } from './hostPortal.js';

export interface HostPortalProviderProps {
  host: HostPortalProps;
  children: ReactNode;
}

/** The `PacsProvider` of an integration: the host's client, token provider and look, passing on only what it set. */
export function HostPortalProvider({ host, children }: HostPortalProviderProps) {
  const { client, workflow, getAccessToken, queryClient, locale, messages, theme, brand } = host;
  return (
    <PacsProvider
      client={client}
      getAccessToken={getAccessToken}
      {...(workflow ? { workflow } : {})}
      {...(queryClient ? { queryClient } : {})}
      {...(locale ? { locale } : {})}
      {...(messages ? { messages } : {})}
      {...(theme ? { theme } : {})}
      {...(brand ? { brand } : {})}
    >
      {children}
    </PacsProvider>
  );
}
