import { RtmProvider } from '@rtm-kit/react';
import { useState } from 'react';
import { LoginForm } from './LoginForm.js';
import { loadSession, saveSession, type Session } from './session.js';
import { Workspace } from './Workspace.js';

/**
 * The login form, or the workspace of the logged-in user. Each login gets its own provider (and
 * so its own client): logging out unmounts it, which logs the client out.
 */
export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const change = (next: Session | null) => {
    saveSession(next);
    setSession(next);
  };

  if (session === null) return <LoginForm onLogin={change} />;
  return (
    <RtmProvider key={`${session.appId}/${session.uid}`} appId={session.appId} uid={session.uid}>
      <Workspace uid={session.uid} onLogout={() => change(null)} />
    </RtmProvider>
  );
}
