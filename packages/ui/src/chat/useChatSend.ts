'use client';

import { useRtmStoreApi, type MessageInput } from '@rtm-kit/react';
import { useCallback } from 'react';
import type { ChatItem, ChatTarget } from './target.js';

/**
 * Sending to a channel or a peer without following its messages, so a composer does not
 * re-render when a message arrives. Peer messages use offline messaging unless told not to.
 *
 * @example
 * const send = useChatSend({ peerId: 'bob' });
 * await send('hello');
 */
export function useChatSend(target: ChatTarget, options: { readonly offlineMessaging?: boolean } = {}): (message: MessageInput) => Promise<ChatItem> {
  const store = useRtmStoreApi();
  const { channelId, peerId } = target;
  const offlineMessaging = options.offlineMessaging ?? true;
  return useCallback(
    (message: MessageInput) => {
      const state = store.getState();
      if (channelId !== undefined) return state.sendChannelMessage(channelId, message);
      return state.sendPeerMessage(peerId as string, message, offlineMessaging ? { enableOfflineMessaging: true } : undefined);
    },
    [store, channelId, peerId, offlineMessaging],
  );
}
