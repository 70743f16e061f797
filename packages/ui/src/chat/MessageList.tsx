'use client';

import { useConnectionState } from '@rtm-kit/react';
import type { ComponentType, ReactNode } from 'react';
import { useStrings, type RtmStrings } from '../strings.js';
import type { ChatMessageProps } from './ChatMessage.js';
import type { RtmMediaMessage } from './media.js';
import { MessageListView } from './MessageListView.js';
import { StringsScope } from './StringsScope.js';
import { chatTargetOf, logLabel, type ChatTarget, type ChatTargetProps } from './target.js';
import { useChatMessages } from './useChatMessages.js';
import { useChatState, type ChatPanelState } from './useChatState.js';

export type MessageListProps = ChatTargetProps & {
  /** Peer messages: kept by the server for an offline peer (shown as stored). Default true. */
  readonly offlineMessaging?: boolean | undefined;
  /** Replaces the text shown while there are no messages. */
  readonly empty?: ReactNode;
  readonly messageComponent?: ComponentType<ChatMessageProps> | undefined;
  readonly plainCount?: number | undefined;
  readonly onDownloaded?: ((blob: Blob, message: RtmMediaMessage) => void) | undefined;
  readonly className?: string | undefined;
  readonly strings?: Partial<RtmStrings> | undefined;
};

function emptyText(state: ChatPanelState, target: ChatTarget, strings: RtmStrings): string | null {
  switch (state) {
    case 'loading':
      return target.channelId !== undefined ? strings.joining(target.channelId) : strings.connecting;
    case 'empty':
      return target.channelId !== undefined ? strings.emptyChannel(target.channelId) : strings.emptyConversation(target.peerId);
    // The panel's banner and the composer say why; the log stays quiet.
    case 'reconnecting':
    case 'offline':
    case 'error':
    case 'ready':
      return null;
    default: {
      const unknown: never = state;
      return unknown;
    }
  }
}

/**
 * The messages of a channel (`channelId`, joined while mounted) or a conversation (`peerId`),
 * as a virtualized `role="log"` named "Messages in lobby" / "Messages with bob", with Retry on
 * failed own messages.
 *
 * @example
 * <MessageList channelId="lobby" />
 */
export function MessageList(props: MessageListProps) {
  return (
    <StringsScope strings={props.strings}>
      <ConnectedMessageList {...props} />
    </StringsScope>
  );
}

function ConnectedMessageList(props: MessageListProps) {
  const target = chatTargetOf(props, 'MessageList');
  const strings = useStrings();
  const offlineMessaging = props.offlineMessaging ?? true;
  const { messages, retry } = useChatMessages(target, { offlineMessaging });
  const { state } = useChatState(target);
  const { uid } = useConnectionState();
  const fallback = emptyText(state, target, strings);
  return (
    <MessageListView
      messages={messages}
      uid={uid}
      label={logLabel(target, strings)}
      onRetry={(id) => void retry(id)}
      peerId={target.peerId}
      offlineMessaging={offlineMessaging}
      empty={props.empty ?? (fallback === null ? null : <p className="rtm-chat-empty-text">{fallback}</p>)}
      messageComponent={props.messageComponent}
      plainCount={props.plainCount}
      onDownloaded={props.onDownloaded}
      className={props.className}
    />
  );
}
