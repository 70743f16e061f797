import { useChannel, type ChannelStatus } from '@rtm-kit/react';
import { ChannelTopic } from './ChannelTopic.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';

const EMPTY_TEXT: Record<ChannelStatus, string> = {
  idle: 'Waiting for the connection…',
  joining: 'Joining…',
  joined: 'No messages yet. Say hello!',
  leaving: 'Leaving…',
  error: 'Not joined.',
};

/** The open channel: its topic, its messages and the box to write to it. */
export function ChannelRoom({ channelId, uid }: { channelId: string; uid: string }) {
  const { status, error, messages, sendMessage, retry, join } = useChannel(channelId);
  return (
    <main className="pane" aria-labelledby="room-title">
      <header className="pane-header">
        <h2 id="room-title"># {channelId}</h2>
        {/* A channel that cannot be joined has no attributes to show either. */}
        {status !== 'error' && <ChannelTopic channelId={channelId} uid={uid} />}
      </header>
      {status === 'error' && (
        <p className="banner" role="alert">
          <span>
            Could not join #{channelId}: {error?.message ?? 'unknown error'}
          </span>
          <button type="button" onClick={() => void join()}>
            Try again
          </button>
        </p>
      )}
      <MessageList
        label={`Messages in #${channelId}`}
        uid={uid}
        messages={messages}
        onRetry={(id) => void retry(id)}
        empty={EMPTY_TEXT[status]}
      />
      <Composer label={`Message #${channelId}`} disabled={status !== 'joined'} onSend={(text) => void sendMessage(text)} />
    </main>
  );
}
