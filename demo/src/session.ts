/** Who this tab is logged in as. */
export interface Session {
  readonly appId: string;
  readonly uid: string;
}

/** A fixed demo App ID: the server runs in development mode, where any well-formed ID logs in. */
export const DEMO_APP_ID = '0123456789abcdef0123456789abcdef';

/** The shape agora-rtm-sdk 1.x accepts for an App ID. */
export const APP_ID_PATTERN = /^[A-Za-z0-9]{32}$/;

// Per tab (sessionStorage), so a reload keeps the tab's user and two tabs can be two users.
const KEY = 'rtm-kit-demo:session';

export function loadSession(): Session | null {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (typeof saved !== 'object' || saved === null) return null;
    const { appId, uid } = saved as Record<string, unknown>;
    return typeof appId === 'string' && typeof uid === 'string' && APP_ID_PATTERN.test(appId) && uid !== '' ? { appId, uid } : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  try {
    if (session === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // Storage can be unavailable (private modes); the demo then forgets the user on reload.
  }
}
