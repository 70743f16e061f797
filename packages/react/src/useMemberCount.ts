'use client';

import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { idsFromKey, idsKey } from './constants.js';
import { useRtmContext } from './context.js';

/**
 * Member counts of channels, joined or not. One shared poll (`getChannelMemberCount`, at most
 * once per second and 32 channels per call, spec §2.6) serves every component; joined channels
 * also update from MemberCountUpdated. A channel appears once its count is known.
 *
 * @example
 * const counts = useMemberCount(['lobby', 'support']);
 * return <span>{counts['lobby'] ?? '…'} in the lobby</span>;
 */
export function useMemberCount(channelIds: string | readonly string[]): Record<string, number> {
  const { store } = useRtmContext('useMemberCount');
  const key = idsKey(channelIds);
  const ids = useMemo(() => idsFromKey(key), [key]);
  useEffect(() => store.getState().acquireMemberCount(ids), [store, ids]);
  return useStore(
    store,
    useShallow((s) => {
      // No prototype: a channel named `__proto__` is a key like any other.
      const out = Object.create(null) as Record<string, number>;
      for (const id of ids) {
        const count = s.memberCounts[id];
        if (count !== undefined) out[id] = count;
      }
      return out;
    }),
  );
}
