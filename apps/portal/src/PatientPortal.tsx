import { PatientPortalIntegration } from '@pacskit/react';
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
 * A patient: consent first — recorded on the archive as the patient's own grant — then their own
 * studies only. The archive's grants say which patient this account is and what it may do.
 */
export function PatientPortal({ config, session, onSignOut }: PatientPortalProps) {
  const { client, workflow } = useMemo(() => createPortalClients(config, session), [config, session]);
  const [grants, setGrants] = useState<AccessGrant[]>();
  const [error, setError] = useState<string>();
  const reload = useCallback(async () => {
    if (!workflow) return setError('This archive has no workflow API: patients cannot sign in.');
    await workflow.accessGrants.list().then(setGrants, (cause: Error) => setError(cause.message));
  }, [workflow]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const patientId = grants?.find((grant) => grant.patientId)?.patientId;
  const consent = grants?.find((grant) => grant.consentGiven && !grant.revokedAt);
  const recordConsent = async (consented: boolean) => {
    if (!consented || !workflow || !patientId || !session.userId) return;
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
    <>
      <PortalHeader title="My imaging" session={session} onSignOut={onSignOut} />
      <main className="portal-main portal-patient">
        {error ? <p role="alert">{error}</p> : null}
        {grants ? (
          <PatientPortalIntegration
            client={client}
            {...(workflow ? { workflow } : {})}
            user={{ id: session.userId ?? session.username, ...(patientId ? { patientId } : {}) }}
            getAccessToken={() => session.token}
            permissions={session.permissions}
            grant={{ download: consent?.accessType === 'download', share: true }}
            consented={consent !== undefined}
            onConsentedChange={(consented) => void recordConsent(consented)}
          />
        ) : null}
      </main>
    </>
  );
}
