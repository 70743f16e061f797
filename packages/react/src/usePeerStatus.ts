'use client';

import type { PeerOnlineState, RtmState } from '@rtm-kit/store';
import { useHeldValues } from './useHeldValues.js';

const acquire = (s: RtmState, ids: readonly string[]) => s.acquirePeerStatus(ids);
const states = (s: RtmState) => s.peerStatus;

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
  return useHeldValues('usePeerStatus', peerIds, acquire, states);
}
