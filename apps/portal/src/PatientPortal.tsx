import { PacsProvider, PatientViewer } from '@pacskit/react';
import type { AccessGrant } from '@pacskit/sdk';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createPortalClients } from './createPortalClient.js';
import { PortalHeader } from './PortalHeader.js';
import type { PortalConfig } from './portalConfig.js';
import type { Session } from './signIn.js';

export interface PatientPortalProps {
  config: PortalConfig;
  session: Session;
  onSignOut: () => void;
}

/**
 * A patient: consent first (recorded on the archive as the patient's own grant), then their own
 * studies only — the archive filters every answer by the grant, the portal only asks.
 */
export function PatientPortal({ config, session, onSignOut }: PatientPortalProps) {
  const { client, workflow, pacsWorkflow } = useMemo(
    () => createPortalClients(config, session),
    [config, session],
  );
  const [grants, setGrants] = useState<AccessGrant[]>();
  const [error, setError] = useState<string>();
  const reload = useCallback(
    () => workflow.accessGrants.list().then(setGrants, (cause: Error) => setError(cause.message)),
    [workflow],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const patientId = grants?.find((grant) => grant.patientId)?.patientId;
  const active = grants?.find((grant) => grant.consentGiven && !grant.revokedAt);
  const giveConsent = async (consented: boolean) => {
    if (!consented || !patientId || !session.userId) return;
    await workflow.accessGrants.create({
      granteeUserId: session.userId,
      scopeType: 'patient',
      patientId,
      accessType: 'download',
      consentGiven: true,
    });
    await reload();
  };

  return (
    <PacsProvider client={client} workflow={pacsWorkflow}>
      <PortalHeader title="My imaging" session={session} onSignOut={onSignOut} />
      <main className="portal-main portal-patient">
        {error ? <p role="alert">{error}</p> : null}
        {grants ? (
          <PatientViewer.Root
            {...(patientId ? { patientID: patientId } : {})}
            consented={active !== undefined}
            onConsentedChange={(consented) => void giveConsent(consented)}
            permissions={{ download: active?.accessType === 'download', share: true }}
          />
        ) : (
          <p>Loading…</p>
        )}
      </main>
    </PacsProvider>
  );
}
