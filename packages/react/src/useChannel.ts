'use client';

import type { RtmError } from '@rtm-kit/store';
import type { ChannelStatus, MessageInput, MessageItem } from '@rtm-kit/store';
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { EMPTY_LIST } from './constants.js';
import { useRtmContext } from './context.js';
import { useChannelLease } from './useChannelLease.js';
import { useLatest } from './useLatest.js';

export interface UseChannelOptions {
  /** Called for every message received in the channel (not for own sends). */
  onMessage?: (message: MessageItem) => void;
  /** Join only while true (default true). */
  enabled?: boolean;
}

export interface UseChannelResult {
  /** `idle` until logged in and joined; `error` when the join failed (see `error`). */
  readonly status: ChannelStatus;
  readonly error: RtmError | null;
  /** Received and own messages in order; own ones carry `status` (`sending`, `sent`, `failed`). */
  readonly messages: readonly MessageItem[];
  readonly members: readonly string[];
  readonly memberCount: number | null;
  /** Send a message (or a string as text). Shown at once; never rejects, see the item's status. */
  sendMessage(message: MessageInput): Promise<MessageItem>;
  /** Send a failed own message again. */
  retry(messageId: string): Promise<MessageItem | null>;
  /** Leave now, for every component using this channel, until `join()` or a fresh mount. */
  leave(): Promise<void>;
  /** Join again after `leave()` or a failed join. */
  join(): Promise<void>;
}

/**
 * Join a channel while mounted and follow its messages and members. Components using the same
 * channel share one join; it is left when the last of them unmounts.
 *
 * @example
 * function Room({ id }: { id: string }) {
 *   const { status, messages, sendMessage, retry } = useChannel(id, { onMessage: () => ping() });
 *   if (status === 'error') return <p>Could not join.</p>;
 *   return (
 *     <>
 *       {messages.map((m) => (
 *         <p key={m.id}>
 *           {m.from}: {'text' in m.message ? m.message.text : '(binary)'}
 *           {m.status === 'failed' && <button onClick={() => retry(m.id)}>Retry</button>}
 *         </p>
 *       ))}
 *       <button onClick={() => sendMessage('hello')}>Say hello</button>
 *     </>
 *   );
 * }
 */
export function useChannel(channelId: string, options: UseChannelOptions = {}): UseChannelResult {
  const { store } = useRtmContext('useChannel');
  const enabled = options.enabled ?? true;
  useChannelLease(store, channelId, enabled);

  const onMessage = useLatest(options.onMessage);
  useEffect(() => {
    if (!enabled) return;
    return store.getState().onChannelMessage(channelId, (message) => onMessage.current?.(message));
  }, [store, channelId, enabled, onMessage]);

  const view = useStore(
    store,
    useShallow((s) => {
      const entry = s.channels[channelId];
      return {
        status: entry?.status ?? 'idle',
        error: entry?.error ?? null,
        messages: entry?.messages ?? EMPTY_LIST,
        members: entry?.members ?? EMPTY_LIST,
        memberCount: entry?.memberCount ?? null,
      };
    }),
  );

  const actions = useMemo(() => {
    const state = () => store.getState();
    return {
      sendMessage: (message: MessageInput) => state().sendChannelMessage(channelId, message),
      retry: (messageId: string) => state().retryChannelMessage(channelId, messageId),
      leave: () => state().leaveChannel(channelId),
      join: () => state().joinChannel(channelId),
    };
  }, [store, channelId]);

  return { ...view, ...actions };
}
