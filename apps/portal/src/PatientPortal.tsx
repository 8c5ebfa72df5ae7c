import { PortalHeader } from './PortalHeader.js';
import type { PortalConfig } from './portalConfig.js';
import type { Session } from './signIn.js';

export interface PatientPortalProps {
  config: PortalConfig;
  session: Session;
  onSignOut: () => void;
}

/** A patient: consent first, then their own studies only. */
export function PatientPortal({ session, onSignOut }: PatientPortalProps) {
  return (
    <>
      <PortalHeader title="My imaging" session={session} onSignOut={onSignOut} />
      <main className="portal-main">
        <p role="alert">
          The patient portal needs @pacskit/react's PatientViewer, which this build does not have yet.
        </p>
      </main>
    </>
  );
}
