import { usePeerStatus } from '@rtm-kit/react';
import { PresenceDot } from '@rtm-kit/ui';
import type { View } from './Workspace.js';

interface PeerListProps {
  peers: readonly string[];
  unread: Readonly<Record<string, number>>;
  view: View;
  onOpen: (peerId: string) => void;
}

/** One-to-one conversations, with each peer's online status and unread messages. */
export function PeerList({ peers, unread, view, onOpen }: PeerListProps) {
  const status = usePeerStatus(peers);
  return (
    <section className="sidebar-section" aria-labelledby="peers-title">
      <h2 id="peers-title">Direct messages</h2>
      {peers.length === 0 ? (
        <p className="muted small">Pick a member of a channel to write to them.</p>
      ) : (
        <ul className="nav-list">
          {peers.map((peerId) => {
            const open = view?.kind === 'peer' && view.id === peerId;
            const count = unread[peerId] ?? 0;
            return (
              <li key={peerId} className={open ? 'nav-item current' : 'nav-item'}>
                <button type="button" className="nav-link" aria-current={open ? 'page' : undefined} onClick={() => onOpen(peerId)}>
                  <PresenceDot state={status[peerId]} />
                  <span className="peer-name">{peerId}</span>
                  {count > 0 && (
                    <span className="badge">
                      {count}
                      <span className="visually-hidden"> unread</span>
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
