import { ProviderPanelIntegration } from '@pacskit/react';
import { useMemo } from 'react';
import { createPortalClients } from './createPortalClient.js';
import { PortalHeader } from './PortalHeader.js';
import type { PortalConfig } from './portalConfig.js';
import type { Session } from './signIn.js';

export interface ProviderPanelProps {
  config: PortalConfig;
  session: Session;
  onSignOut: () => void;
}

/**
 * Radiologists, technologists, referring physicians: studies with the full viewer and the report
 * editor, the worklist and orders — each shown only with the permission it needs.
 */
export function ProviderPanel({ config, session, onSignOut }: ProviderPanelProps) {
  const { client, workflow } = useMemo(() => createPortalClients(config, session), [config, session]);
  return (
    <>
      <PortalHeader title="Provider panel" session={session} onSignOut={onSignOut} />
      <main className="portal-main">
        <ProviderPanelIntegration
          client={client}
          {...(workflow ? { workflow } : {})}
          user={{ id: session.userId ?? session.username, displayName: session.username }}
          getAccessToken={() => session.token}
          permissions={session.permissions}
        />
      </main>
    </>
  );
}
