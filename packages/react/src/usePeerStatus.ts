'use client';

import type { PeerOnlineState } from '@rtm-kit/store';
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { idsFromKey, idsKey } from './constants.js';
import { useRtmContext } from './context.js';

/**
 * The online state (`ONLINE`, `UNREACHABLE`, `OFFLINE`) of peers, live. Every component asking
 * for a peer shares one subscription, dropped when the last of them unmounts. A peer appears
 * in the result once its state is known (right after the subscription, while logged in).
 * The ids may be an inline array: only their set matters.
 *
 * @example
 * const status = usePeerStatus([friend.id]);
 * return <Dot online={status[friend.id] === 'ONLINE'} />;
 */
export function usePeerStatus(peerIds: string | readonly string[]): Record<string, PeerOnlineState> {
  const { store } = useRtmContext('usePeerStatus');
  const key = idsKey(peerIds);
  const ids = useMemo(() => idsFromKey(key), [key]);
  useEffect(() => store.getState().acquirePeerStatus(ids), [store, ids]);
  return useStore(
    store,
    useShallow((s) => {
      // No prototype: a user named `__proto__` is a key like any other.
      const out = Object.create(null) as Record<string, PeerOnlineState>;
      for (const id of ids) {
        const state = s.peerStatus[id];
        if (state !== undefined) out[id] = state;
      }
      return out;
    }),
  );
}
