'use client';

import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { EMPTY_LIST } from './constants.js';
import { useRtmContext } from './context.js';
import { useChannelLease } from './useChannelLease.js';

export interface UseChannelMembersResult {
  readonly members: readonly string[];
  readonly memberCount: number | null;
}

/**
 * The members of a channel, joined while mounted like `useChannel` (the join is shared). A
 * component using only this hook does not re-render when a message arrives.
 *
 * @example
 * function MemberList({ channelId }: { channelId: string }) {
 *   const { members, memberCount } = useChannelMembers(channelId);
 *   return <ul aria-label={`${memberCount ?? 0} members`}>{members.map((m) => <li key={m}>{m}</li>)}</ul>;
 * }
 */
export function useChannelMembers(channelId: string, options: { enabled?: boolean } = {}): UseChannelMembersResult {
  const { store } = useRtmContext('useChannelMembers');
  useChannelLease(store, channelId, options.enabled ?? true);
  return useStore(
    store,
    useShallow((s) => ({
      members: s.channels[channelId]?.members ?? EMPTY_LIST,
      memberCount: s.channels[channelId]?.memberCount ?? null,
    })),
  );
}
