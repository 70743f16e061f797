import { useConnectionState, usePeerMessageListener } from '@rtm-kit/react';
import { useState, type ReactNode } from 'react';
import { CallDialogs } from './CallDialogs.js';
import { ChannelList } from './ChannelList.js';
import { ChannelRoom } from './ChannelRoom.js';
import { ConnectionHeader } from './ConnectionHeader.js';
import { MemberList } from './MemberList.js';
import { PeerConversation } from './PeerConversation.js';
import { PeerList } from './PeerList.js';

/** What the main pane shows. */
export type View = { readonly kind: 'channel'; readonly id: string } | { readonly kind: 'peer'; readonly id: string } | null;

const FIRST_CHANNEL = 'lobby';

/**
 * The logged-in layout: calls in a bar under the header, channels and conversations on the
 * left, the open one in the middle, the channel's members on the right. Channels in the list
 * stay joined.
 */
export function Workspace({ uid, onLogout }: { uid: string; onLogout: () => void }) {
  const [channels, setChannels] = useState<readonly string[]>([FIRST_CHANNEL]);
  const [peers, setPeers] = useState<readonly string[]>([]);
  const [unreadFrom, setUnreadFrom] = useState<Readonly<Record<string, number>>>({});
  const [view, setView] = useState<View>({ kind: 'channel', id: FIRST_CHANNEL });

  const addPeer = (peerId: string) => setPeers((list) => (list.includes(peerId) ? list : [...list, peerId]));
  const openPeer = (peerId: string) => {
    addPeer(peerId);
    setUnreadFrom(({ [peerId]: _read, ...rest }) => rest);
    setView({ kind: 'peer', id: peerId });
  };
  const openChannel = (channelId: string) => {
    setChannels((list) => (list.includes(channelId) ? list : [...list, channelId]));
    setView({ kind: 'channel', id: channelId });
  };
  const leaveChannel = (channelId: string) => {
    const rest = channels.filter((c) => c !== channelId);
    setChannels(rest);
    if (view?.kind === 'channel' && view.id === channelId) setView(rest[0] === undefined ? null : { kind: 'channel', id: rest[0] });
  };

  // A message from someone new starts a conversation in the list, unread unless it is open.
  usePeerMessageListener((message) => {
    addPeer(message.peerId);
    if (view?.kind === 'peer' && view.id === message.peerId) return;
    setUnreadFrom((counts) => ({ ...counts, [message.peerId]: (counts[message.peerId] ?? 0) + 1 }));
  });

  return (
    <div className="app">
      <ConnectionHeader uid={uid} onLogout={onLogout} />
      <CallDialogs onOpenPeer={openPeer} />
      <LoginGate>
        <div className={view?.kind === 'channel' ? 'layout with-members' : 'layout'}>
          <nav className="sidebar" aria-label="Conversations">
            <ChannelList channels={channels} view={view} onOpen={openChannel} onLeave={leaveChannel} />
            <PeerList peers={peers} unread={unreadFrom} view={view} onOpen={openPeer} />
          </nav>
          {view?.kind === 'channel' && (
            <>
              <ChannelRoom key={view.id} channelId={view.id} uid={uid} />
              <MemberList key={`members:${view.id}`} channelId={view.id} uid={uid} onOpenPeer={openPeer} />
            </>
          )}
          {view?.kind === 'peer' && <PeerConversation key={view.id} peerId={view.id} uid={uid} />}
          {view === null && (
            <main className="pane empty-pane">
              <p>Join a channel on the left, or pick a conversation.</p>
            </main>
          )}
        </div>
      </LoginGate>
    </div>
  );
}

/** The workspace, unless the login failed (the header says why and offers the way back). */
function LoginGate({ children }: { children: ReactNode }) {
  const { state, error } = useConnectionState();
  if (state === 'DISCONNECTED' && error !== null) return <main className="pane empty-pane">Not logged in.</main>;
  return children;
}
