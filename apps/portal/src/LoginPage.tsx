import { type FormEvent, useState } from 'react';
import type { PortalConfig } from './portalConfig.js';
import { type Session, SignInError, signIn } from './signIn.js';

export interface LoginPageProps {
  config: PortalConfig;
  onSignedIn: (session: Session) => void;
}

export function LoginPage({ config, onSignedIn }: LoginPageProps) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signIn(config, String(form.get('username')), String(form.get('password'))));
    } catch (cause) {
      setError(cause instanceof SignInError ? cause.message : 'The archive cannot be reached.');
      setBusy(false);
    }
  };
  return (
    <main className="portal-login">
      <h1>PacsKit demo portal</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label>
          Username
          <input name="username" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error ? <p role="alert">{error}</p> : null}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <p className="portal-hint">The archive printed the demo accounts when it started.</p>
    </main>
  );
}
