import { PacsProvider, ProviderDashboard } from '@pacskit/react';
import { useMemo, useState } from 'react';
import { createPortalClients } from './createPortalClient.js';
import { OrdersPanel } from './OrdersPanel.js';
import { PortalHeader } from './PortalHeader.js';
import type { PortalConfig } from './portalConfig.js';
import { ReportPanel } from './ReportPanel.js';
import type { Session } from './signIn.js';

export interface ProviderPanelProps {
  config: PortalConfig;
  session: Session;
  onSignOut: () => void;
}

/** Radiologists, referring physicians, technologists: the whole dashboard. */
export function ProviderPanel({ config, session, onSignOut }: ProviderPanelProps) {
  const { client, workflow, pacsWorkflow } = useMemo(
    () => createPortalClients(config, session),
    [config, session],
  );
  const [study, setStudy] = useState<string>();
  // The archive's admin over HTTP Basic has no workflow API behind it.
  const hasWorkflow = session.auth.type === 'bearer';
  return (
    <PacsProvider client={client} workflow={pacsWorkflow}>
      <PortalHeader title="Provider panel" session={session} onSignOut={onSignOut} />
      <main className="portal-main">
        <ProviderDashboard onStudyChange={setStudy}>
          {hasWorkflow ? <OrdersPanel workflow={workflow} /> : null}
        </ProviderDashboard>
        {hasWorkflow && study ? (
          <ReportPanel key={study} studyInstanceUID={study} canSign={session.role !== 'referrer'} />
        ) : null}
      </main>
    </PacsProvider>
  );
}
