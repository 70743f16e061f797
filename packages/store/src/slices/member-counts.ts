import type { RtmError } from '@rtm-kit/client';
import { Leases } from '../leases.js';
import { toRtmError, type Slice, type SliceContext } from '../slice.js';
import { keyed, merged, withEntry } from '../records.js';

export interface MemberCountsSlice {
  /** Member counts of watched channels (polled) and of joined channels (MemberCountUpdated). */
  readonly memberCounts: { readonly [channelId: string]: number };
  /** The last failed count query, cleared by the next successful one. */
  readonly memberCountError: RtmError | null;
  /**
   * Watch the member counts of channels, joined or not. One poll serves every watcher; it runs
   * while logged in and something is watched.
   */
  acquireMemberCount(channelIds: readonly string[]): () => void;
}

/** `getChannelMemberCount` takes at most 32 channels and may be called once per second (§2.6). */
const MAX_IDS_PER_CALL = 32;
const MIN_CALL_INTERVAL_MS = 1000;

/** Records a count that arrived another way (a joined channel's MemberCountUpdated). */
export function recordMemberCount(ctx: SliceContext, channelId: string, count: number): void {
  ctx.set((s) => (s.memberCounts[channelId] === count ? s : { memberCounts: withEntry(s.memberCounts, channelId, count) }));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The member-count slice: one shared poller over the union of watched channels. */
export function createMemberCountsSlice(ctx: SliceContext): Slice<MemberCountsSlice> {
  const { client } = ctx;
  const interval = Math.max(MIN_CALL_INTERVAL_MS, ctx.options.memberCountIntervalMs);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let polling = false;
  let rerun = false;
  let lastCallAt = -Infinity;

  const leases = new Leases<string>(ctx.options.releaseDelayMs, {
    first: () => schedule(Math.max(0, lastCallAt + MIN_CALL_INTERVAL_MS - Date.now())),
    last: () => undefined,
  });

  function schedule(delay: number): void {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void poll();
    }, delay);
  }

  async function poll(): Promise<void> {
    if (polling) {
      rerun = true; // a channel was added during this poll
      return;
    }
    const ids = leases.keys();
    if (ids.length === 0 || client.connectionState !== 'CONNECTED') return;
    polling = true;
    // A poll that straddles a logout says nothing about the next session.
    const session = ctx.session();
    try {
      for (let i = 0; i < ids.length; i += MAX_IDS_PER_CALL) {
        if (i > 0) await sleep(MIN_CALL_INTERVAL_MS);
        if (ctx.session() !== session) return;
        lastCallAt = Date.now();
        const counts = await client.getChannelMemberCount(ids.slice(i, i + MAX_IDS_PER_CALL));
        if (ctx.session() !== session) return;
        ctx.set((s) => ({ memberCounts: merged(s.memberCounts, counts), memberCountError: null }));
      }
    } catch (error) {
      if (ctx.session() === session) ctx.set({ memberCountError: toRtmError(error) });
    } finally {
      polling = false;
      if (leases.keys().length > 0) schedule(rerun ? MIN_CALL_INTERVAL_MS : interval);
      rerun = false;
    }
  }

  return {
    state: {
      memberCounts: keyed(),
      memberCountError: null,
      acquireMemberCount(channelIds) {
        const releases = [...new Set(channelIds)].map((id) => leases.acquire(id));
        return () => {
          for (const release of releases) release();
        };
      },
    },
    connectionChanged(state) {
      if (state === 'CONNECTED' && leases.keys().length > 0) schedule(Math.max(0, lastCallAt + MIN_CALL_INTERVAL_MS - Date.now()));
    },
    reset: () => ({ memberCounts: keyed(), memberCountError: null }),
  };
}
