import { usePeerMessages, usePeerStatus } from '@rtm-kit/react';
import { CallButton } from './CallButton.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';
import { Presence } from './Presence.js';

/** A one-to-one conversation. Messages to an offline peer are kept for them (offline messaging). */
export function PeerConversation({ peerId, uid }: { peerId: string; uid: string }) {
  const { messages, sendMessage, retry } = usePeerMessages(peerId);
  const status = usePeerStatus(peerId)[peerId];
  return (
    <main className="pane" aria-labelledby="peer-title">
      <header className="pane-header peer-header">
        <h2 id="peer-title">{peerId}</h2>
        <Presence state={status} withText />
        <CallButton peerId={peerId} />
      </header>
      <MessageList
        label={`Conversation with ${peerId}`}
        uid={uid}
        peerId={peerId}
        messages={messages}
        onRetry={(id) => void retry(id)}
        empty={`No messages with ${peerId} yet.`}
      />
      <Composer label={`Message ${peerId}`} onSend={(text) => void sendMessage(text, { enableOfflineMessaging: true })} />
    </main>
  );
}
