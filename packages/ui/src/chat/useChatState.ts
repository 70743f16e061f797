'use client';

import { useChannelMembers, useConnectionState, useRtmStore, useRtmStoreApi } from '@rtm-kit/react';
import { useCallback } from 'react';
import type { ChatTarget } from './target.js';

/** What a chat panel shows as a whole (its `data-state`). */
export type ChatPanelState = 'loading' | 'ready' | 'empty' | 'reconnecting' | 'offline' | 'error';

/** Why messages cannot be sent right now. */
export type ChatBlockReason = 'connecting' | 'joining' | 'reconnecting' | 'offline' | 'login-error' | 'join-error';

export interface ChatState {
  readonly state: ChatPanelState;
  /** Null while messages can be sent. */
  readonly blocked: ChatBlockReason | null;
  /** The failed join or login, with state `error`. */
  readonly error: Error | null;
  /** Join a channel again after a failed join. */
  retryJoin(): void;
}

/**
 * The state of a channel or conversation as a whole: whether it is loading, ready, empty, waiting
 * for the connection, offline or failed, and whether (and why not) messages can be sent. Holds the
 * channel joined while mounted (shared with every other part showing it).
 *
 * @example
 * const { state, blocked } = useChatState({ channelId: 'lobby' });
 * return <section data-state={state}>{blocked === 'reconnecting' && <p>Reconnecting…</p>}</section>;
 */
export function useChatState(target: ChatTarget): ChatState {
  const channelId = target.channelId;
  const isChannel = channelId !== undefined;
  // The join is a lease shared with every part of this channel; members are not read here.
  useChannelMembers(channelId ?? '', { enabled: isChannel });
  const connection = useConnectionState();
  const channelStatus = useRtmStore((s) => (isChannel ? (s.channels[channelId]?.status ?? 'idle') : null));
  const joinError = useRtmStore((s) => (isChannel ? (s.channels[channelId]?.error ?? null) : null));
  const hasMessages = useRtmStore((s) =>
    isChannel ? (s.channels[channelId]?.messages.length ?? 0) > 0 : (s.conversations[target.peerId]?.messages.length ?? 0) > 0,
  );
  const store = useRtmStoreApi();
  const retryJoin = useCallback(() => {
    if (channelId !== undefined) void store.getState().joinChannel(channelId);
  }, [store, channelId]);

  const settled = hasMessages ? 'ready' : 'empty';
  const result = (state: ChatPanelState, blocked: ChatBlockReason | null, error: Error | null = null): ChatState => ({
    state,
    blocked,
    error,
    retryJoin,
  });
  switch (connection.state) {
    case 'RECONNECTING':
      return result('reconnecting', 'reconnecting');
    case 'ABORTED':
      return result('offline', 'offline');
    case 'CONNECTING':
      return result('loading', 'connecting');
    case 'DISCONNECTED':
      if (connection.error !== null) return result('error', 'login-error', connection.error);
      // Before the first change the provider has not started its login yet (or is rendering
      // on the server): that is loading, not offline.
      return connection.reason === null ? result('loading', 'connecting') : result('offline', 'offline');
    case 'CONNECTED':
      if (!isChannel) return result(settled, null);
      switch (channelStatus) {
        case 'joined':
          return result(settled, null);
        case 'error':
          return result('error', 'join-error', joinError);
        default:
          return result('loading', 'joining');
      }
    default: {
      const unknown: never = connection.state;
      return unknown;
    }
  }
}
