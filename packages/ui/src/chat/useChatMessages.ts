'use client';

import { useChannel, usePeerMessages, type MessageInput } from '@rtm-kit/react';
import { useCallback } from 'react';
import type { ChatItem, ChatTarget } from './target.js';

export interface UseChatMessagesOptions {
  /**
   * Peer messages only: ask the server to keep a message for a peer who is offline (1.4.x
   * `enableOfflineMessaging`); it is shown as stored for later delivery. Default true.
   */
  readonly offlineMessaging?: boolean;
}

export interface UseChatMessagesResult {
  /** Received and own messages in order (own ones with `status`). */
  readonly messages: readonly ChatItem[];
  /** Send a message (or text); shown at once with `status: 'sending'`. Never rejects. */
  send(message: MessageInput): Promise<ChatItem>;
  /** Send a failed own message again. */
  retry(messageId: string): Promise<ChatItem | null>;
}

/**
 * The messages of a channel (joined while mounted) or of a conversation with a peer, with send
 * and retry. The same hook serves both, so parts can show either.
 *
 * @example
 * const { messages, send, retry } = useChatMessages({ peerId: 'bob' });
 */
export function useChatMessages(target: ChatTarget, options: UseChatMessagesOptions = {}): UseChatMessagesResult {
  const isChannel = target.channelId !== undefined;
  const channel = useChannel(target.channelId ?? '', { enabled: isChannel });
  // A listener for peer id '' never fires and its selector reads an absent conversation.
  const peer = usePeerMessages(target.peerId ?? '');
  const offlineMessaging = options.offlineMessaging ?? true;
  const { sendMessage: sendToChannel, retry: retryChannel } = channel;
  const { sendMessage: sendToPeer, retry: retryPeer } = peer;
  const send = useCallback(
    (message: MessageInput): Promise<ChatItem> =>
      isChannel ? sendToChannel(message) : sendToPeer(message, offlineMessaging ? { enableOfflineMessaging: true } : undefined),
    [isChannel, sendToChannel, sendToPeer, offlineMessaging],
  );
  const retry = useCallback(
    (messageId: string): Promise<ChatItem | null> => (isChannel ? retryChannel(messageId) : retryPeer(messageId)),
    [isChannel, retryChannel, retryPeer],
  );
  return { messages: isChannel ? channel.messages : peer.messages, send, retry };
}
