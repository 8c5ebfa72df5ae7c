import { useEffect, useState } from 'react';
import { LoginPage } from './LoginPage.js';
import { PatientPortal } from './PatientPortal.js';
import { ProviderPanel } from './ProviderPanel.js';
import { loadPortalConfig, type PortalConfig } from './portalConfig.js';
import type { Session } from './signIn.js';

/** Log in, then the provider panel or the patient portal, by role. */
export function App() {
  const [config, setConfig] = useState<PortalConfig>();
  const [session, setSession] = useState<Session>();
  useEffect(() => {
    loadPortalConfig().then(setConfig);
  }, []);
  if (!config) return <p className="portal-loading">Loading…</p>;
  if (!session) return <LoginPage config={config} onSignedIn={setSession} />;
  const signOut = () => setSession(undefined);
  return session.role === 'patient' ? (
    <PatientPortal config={config} session={session} onSignOut={signOut} />
  ) : (
    <ProviderPanel config={config} session={session} onSignOut={signOut} />
  );
}
