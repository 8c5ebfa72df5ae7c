import type { Session } from './signIn.js';

export interface PortalHeaderProps {
  title: string;
  session: Session;
  onSignOut: () => void;
}

export function PortalHeader({ title, session, onSignOut }: PortalHeaderProps) {
  return (
    <header className="portal-header">
      <h1>{title}</h1>
      <span>
        {session.username} ({session.role})
      </span>
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
