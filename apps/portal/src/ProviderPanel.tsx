import { PacsProvider, ProviderDashboard } from '@pacskit/react';
import { useMemo } from 'react';
import { createPortalClient } from './createPortalClient.js';
import { PortalHeader } from './PortalHeader.js';
import type { PortalConfig } from './portalConfig.js';
import type { Session } from './signIn.js';

export interface ProviderPanelProps {
  config: PortalConfig;
  session: Session;
  onSignOut: () => void;
}

/** Radiologists, referring physicians, technologists: the whole dashboard. */
export function ProviderPanel({ config, session, onSignOut }: ProviderPanelProps) {
  const client = useMemo(() => createPortalClient(config, session), [config, session]);
  return (
    <PacsProvider client={client}>
      <PortalHeader title="Provider panel" session={session} onSignOut={onSignOut} />
      <main className="portal-main">
        <ProviderDashboard />
      </main>
    </PacsProvider>
  );
}
