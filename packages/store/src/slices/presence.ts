import { DEFAULT_LIMITS, type PeerOnlineState, type RtmError } from '@rtm-kit/client';
import { Leases } from '../leases.js';
import { singleFlight } from '../single-flight.js';
import type { PeersOnlineStatusMap } from '../rtm-api.js';
import { toRtmError, type Slice, type SliceContext } from '../slice.js';
import { keyed, merged } from '../records.js';

export interface PresenceSlice {
  /** Online states of subscribed peers (spec §7.3); a peer appears once its state is known. */
  readonly peerStatus: { readonly [peerId: string]: PeerOnlineState };
  /** The last failed subscription, cleared by the next successful one. */
  readonly peerStatusError: RtmError | null;
  /**
   * Subscribe to the online status of peers. One subscription per peer serves every holder;
   * it is dropped after the last release (and the release delay).
   */
  acquirePeerStatus(peerIds: readonly string[]): () => void;
}

/** Peers per subscribe call (spec §2.6, §10.4). */
const MAX_IDS_PER_CALL = DEFAULT_LIMITS.subscriptionMaxPeers;
const MAX_ROUNDS = 4;

function chunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_CALL) out.push(ids.slice(i, i + MAX_IDS_PER_CALL));
  return out;
}

/**
 * The presence slice. Holds are batched: every peer acquired in the same tick goes into one
 * `subscribePeersOnlineStatus` call (10 calls per 5 s are allowed, §10.5).
 */
export function createPresenceSlice(ctx: SliceContext): Slice<PresenceSlice> {
  const { client } = ctx;
  const subscribed = new Set<string>();
  /** Peers whose subscription failed; not retried until held afresh or logged in again. */
  const failed = new Set<string>();
  let scheduled = false;

  const leases = new Leases<string>(ctx.options.releaseDelayMs, {
    first(peerId) {
      failed.delete(peerId);
      schedule();
    },
    last: () => schedule(),
  });

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      void flush();
    }, 0);
  }

  const flush = singleFlight(() => sync(), MAX_ROUNDS);

  async function sync(): Promise<void> {
    if (client.connectionState !== 'CONNECTED') return;
    const held = new Set(leases.keys());
    const drop = [...subscribed].filter((id) => !held.has(id));
    const add = [...held].filter((id) => !subscribed.has(id) && !failed.has(id));
    for (const ids of chunks(drop)) {
      for (const id of ids) subscribed.delete(id);
      ctx.set((s) => {
        const peerStatus = merged(s.peerStatus);
        for (const id of ids) delete peerStatus[id];
        return { peerStatus };
      });
      // Unsubscribing cannot fail in a way the UI could act on (§2.6: fire-and-forget).
      await client.unsubscribePeersOnlineStatus(ids).catch(() => undefined);
    }
    // A call that straddles a logout says nothing about the next session.
    const session = ctx.session();
    for (const ids of chunks(add)) {
      try {
        for (const id of ids) subscribed.add(id);
        await client.subscribePeersOnlineStatus(ids);
        ctx.set({ peerStatusError: null });
      } catch (error) {
        if (ctx.session() !== session) return; // the session ended meanwhile; the next login subscribes
        for (const id of ids) {
          subscribed.delete(id);
          failed.add(id);
        }
        ctx.set({ peerStatusError: toRtmError(error) });
      }
    }
  }

  return {
    state: {
      peerStatus: keyed(),
      peerStatusError: null,
      acquirePeerStatus: (peerIds) => leases.acquireAll(peerIds),
    },
    attach() {
      const onChanged = (status: PeersOnlineStatusMap) => {
        ctx.set((s) => ({ peerStatus: merged(s.peerStatus, status) }));
      };
      client.on('PeersOnlineStatusChanged', onChanged);
      return () => client.off('PeersOnlineStatusChanged', onChanged);
    },
    connectionChanged(state, _reason, previous) {
      if (state === 'DISCONNECTED' || state === 'ABORTED') {
        // The client drops its subscriptions at logout and when the session ends (§9.5).
        subscribed.clear();
        failed.clear();
      } else if (state === 'CONNECTED' && previous !== 'RECONNECTING') {
        // After RECONNECTING the client subscribes again by itself (§2.6).
        schedule();
      }
    },
    reset: () => ({ peerStatus: keyed(), peerStatusError: null }),
  };
}
