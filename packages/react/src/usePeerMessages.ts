'use client';

import { ANY_PEER, type MessageInput, type PeerMessageItem, type SendMessageOptions } from '@rtm-kit/store';
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { EMPTY_LIST } from './constants.js';
import { useRtmContext } from './context.js';
import { useLatest } from './useLatest.js';

export interface UsePeerMessagesResult {
  /** The conversation: received messages (offline ones marked `isOfflineMessage`) and own sends. */
  readonly messages: readonly PeerMessageItem[];
  /**
   * Send a message (or a string as text); `options` are the 1.4.x `SendMessageOptions`. Shown
   * at once; never rejects: the settled item has `status`, `hasPeerReceived` or `error`.
   */
  sendMessage(message: MessageInput, options?: SendMessageOptions): Promise<PeerMessageItem>;
  /** Send a failed own message again. */
  retry(messageId: string): Promise<PeerMessageItem | null>;
}

/**
 * A one-to-one conversation. The store keeps every peer message from login on, so a
 * conversation opened later shows what arrived before.
 *
 * @example
 * function Chat({ peerId }: { peerId: string }) {
 *   const { messages, sendMessage } = usePeerMessages(peerId);
 *   return (
 *     <>
 *       {messages.map((m) => <p key={m.id}>{m.isOfflineMessage ? '(while away) ' : ''}{'text' in m.message && m.message.text}</p>)}
 *       <button onClick={() => sendMessage('hi', { enableOfflineMessaging: true })}>Send</button>
 *     </>
 *   );
 * }
 */
export function usePeerMessages(peerId: string, options: { onMessage?: (message: PeerMessageItem) => void } = {}): UsePeerMessagesResult {
  const { store } = useRtmContext('usePeerMessages');
  const onMessage = useLatest(options.onMessage);
  useEffect(
    () => store.getState().onPeerMessage(peerId, (message) => onMessage.current?.(message)),
    [store, peerId, onMessage],
  );
  const messages = useStore(store, (s) => s.conversations[peerId]?.messages ?? EMPTY_LIST);
  const actions = useMemo(
    () => ({
      sendMessage: (message: MessageInput, sendOptions?: SendMessageOptions) =>
        store.getState().sendPeerMessage(peerId, message, sendOptions),
      retry: (messageId: string) => store.getState().retryPeerMessage(peerId, messageId),
    }),
    [store, peerId],
  );
  return { messages, ...actions };
}

/**
 * Call `listener` for every peer message from anyone (notifications, unread badges).
 *
 * @example
 * usePeerMessageListener((m) => toast(`${m.from} wrote to you`));
 */
export function usePeerMessageListener(listener: (message: PeerMessageItem) => void): void {
  const { store } = useRtmContext('usePeerMessageListener');
  const latest = useLatest(listener);
  useEffect(() => store.getState().onPeerMessage(ANY_PEER, (message) => latest.current(message)), [store, latest]);
}
