import type { PeerOnlineState } from '@rtm-kit/client';

const LABELS: Record<PeerOnlineState, string> = { ONLINE: 'online', UNREACHABLE: 'unreachable', OFFLINE: 'offline' };

/** A peer's online status as a dot, with the word for screen readers and on hover. */
export function Presence({ state, withText = false }: { state: PeerOnlineState | undefined; withText?: boolean }) {
  const label = state === undefined ? 'status unknown' : LABELS[state];
  return (
    <span className="presence" data-state={state?.toLowerCase() ?? 'unknown'} title={label}>
      <span className="dot" aria-hidden="true" />
      <span className={withText ? 'presence-text' : 'visually-hidden'}>{label}</span>
    </span>
  );
}
