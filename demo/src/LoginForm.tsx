import { useId, useState, type FormEvent } from 'react';
import { APP_ID_PATTERN, DEMO_APP_ID, type Session } from './session.js';

export function LoginForm({ onLogin }: { onLogin: (session: Session) => void }) {
  const [uid, setUid] = useState('');
  const [appId, setAppId] = useState(DEMO_APP_ID);
  const [problem, setProblem] = useState<string | null>(null);
  const hintId = useId();
  const problemId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = uid.trim();
    if (trimmed === '') return setProblem('Enter a user ID.');
    if (!APP_ID_PATTERN.test(appId)) return setProblem('The App ID must be 32 letters or digits.');
    setProblem(null);
    onLogin({ appId, uid: trimmed });
  };

  return (
    <main className="login">
      <form className="card login-form" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <h1 id="login-title">rtm-kit demo</h1>
        <p className="muted">
          Log in as any user. Open a second tab as someone else to chat and call between them.
        </p>
        <label>
          User ID
          <input
            name="uid"
            value={uid}
            onChange={(e) => setUid(e.target.value)}
            autoComplete="username"
            autoFocus
            required
            maxLength={64}
            placeholder="alice"
            aria-invalid={problem !== null && uid.trim() === ''}
            aria-describedby={problem === null ? undefined : problemId}
          />
        </label>
        <label>
          App ID
          <input
            name="appId"
            value={appId}
            onChange={(e) => setAppId(e.target.value.trim())}
            spellCheck={false}
            autoComplete="off"
            className="mono"
            aria-describedby={hintId}
            aria-invalid={problem !== null && !APP_ID_PATTERN.test(appId)}
          />
          <small id={hintId} className="muted">
            32 letters or digits. The demo server accepts any App ID without a token.
          </small>
        </label>
        {problem !== null && (
          <p id={problemId} role="alert" className="error">
            {problem}
          </p>
        )}
        <button type="submit" className="primary">
          Log in
        </button>
      </form>
    </main>
  );
}
