import { useConnectionState, type ConnectionInfo } from '@rtm-kit/react';

const LABELS: Record<ConnectionInfo['state'], string> = {
  DISCONNECTED: 'Disconnected',
  CONNECTING: 'Connecting…',
  CONNECTED: 'Connected',
  RECONNECTING: 'Reconnecting…',
  ABORTED: 'Session ended',
};

/** Why the session cannot go on, and what the user can do about it; null while it is fine. */
function sessionProblem({ state, reason, error }: ConnectionInfo, uid: string): string | null {
  if (state === 'ABORTED') {
    switch (reason) {
      case 'REMOTE_LOGIN':
        return `${uid} logged in somewhere else (another tab?), so this session ended.`;
      case 'BANNED_BY_SERVER':
        return 'The server ended this session.';
      case 'TOKEN_EXPIRED':
        return 'The login token expired.';
      default:
        return 'The session ended.';
    }
  }
  if (state === 'DISCONNECTED' && error !== null) return `Could not log in as ${uid}: ${error.message}`;
  return null;
}

/** The connection state as the 1.x client reports it, the user, and the way out. */
export function ConnectionHeader({ uid, onLogout }: { uid: string; onLogout: () => void }) {
  const connection = useConnectionState();
  const problem = sessionProblem(connection, uid);
  return (
    <>
      <header className="topbar">
        <h1 className="brand">rtm-kit demo</h1>
        <p className="connection" role="status" aria-label="Connection" data-state={connection.state.toLowerCase()}>
          <span className="dot" aria-hidden="true" />
          {LABELS[connection.state]}
          {connection.reason !== null && (
            <span className="mono muted small">
              {' '}
              {connection.state}/{connection.reason}
            </span>
          )}
        </p>
        <p className="whoami">
          Logged in as <strong>{uid}</strong>
        </p>
        <button type="button" onClick={onLogout}>
          Log out
        </button>
      </header>
      {problem !== null && (
        <div className="banner" role="alert">
          <span>{problem}</span>
          <button type="button" onClick={onLogout}>
            Back to login
          </button>
        </div>
      )}
    </>
  );
}
