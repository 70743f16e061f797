import { useConnectionState, usePeerMessageListener } from '@rtm-kit/react';
import { CallButton, CallDialog, ChatPanel } from '@rtm-kit/ui';
import { useState, type ReactNode } from 'react';
import { ChannelList } from './ChannelList.js';
import { ConnectionHeader } from './ConnectionHeader.js';
import { PeerList } from './PeerList.js';

/** What the main pane shows. */
export type View = { readonly kind: 'channel'; readonly id: string } | { readonly kind: 'peer'; readonly id: string } | null;

const FIRST_CHANNEL = 'lobby';

/**
 * The logged-in layout: channels and conversations on the left, the open one as a `ChatPanel`
 * (a channel's with its members beside it), and one `CallDialog` for every call. Channels in the
 * list stay joined. Everything chat and call is @rtm-kit/ui; this file is the app's own layout.
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
      {/* The demo's calls are the invitation handshake only: an accepted call opens the
          conversation and is over at once (a real app would start its media session here). */}
      <CallDialog
        onAccepted={(call) => {
          openPeer(call.peerId);
          call.end();
        }}
      />
      <LoginGate>
        <div className="layout">
          <nav className="sidebar" aria-label="Conversations">
            <ChannelList channels={channels} view={view} onOpen={openChannel} onLeave={leaveChannel} />
            <PeerList peers={peers} unread={unreadFrom} view={view} onOpen={openPeer} />
          </nav>
          {/* ChatPanel leaves landmarks to the app: the open chat is this page's main content, and
              inside <main> the panel's <header> is not taken for a second banner. */}
          <main className={view === null ? 'pane empty-pane' : 'pane'}>
            {view?.kind === 'channel' && (
              <ChatPanel
                key={view.id}
                className="pane-chat"
                channelId={view.id}
                topicEditable
                onSelectMember={openPeer}
                memberActions={(member) => <CallButton peerId={member} />}
              />
            )}
            {view?.kind === 'peer' && <ChatPanel key={view.id} className="pane-chat" peerId={view.id} />}
            {view === null && <p>Join a channel on the left, or pick a conversation.</p>}
          </main>
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
