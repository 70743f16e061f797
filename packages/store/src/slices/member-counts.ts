import { DEFAULT_LIMITS, type RtmError } from '@rtm-kit/client';
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
  /**
   * A count that arrived another way (a joined channel's `MemberCountUpdated`). The channels
   * slice calls it; an app has no need to.
   * @internal
   */
  recordMemberCount(channelId: string, count: number): void;
}

/** `getChannelMemberCount`: channels per call, and the pace of calls (§2.6, §10.5). */
const MAX_IDS_PER_CALL = DEFAULT_LIMITS.memberCountChannelsMax;
const MIN_CALL_INTERVAL_MS = DEFAULT_LIMITS.memberCountRate.windowMs / DEFAULT_LIMITS.memberCountRate.count;

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
      acquireMemberCount: (channelIds) => leases.acquireAll(channelIds),
      recordMemberCount(channelId, count) {
        ctx.set((s) => (s.memberCounts[channelId] === count ? s : { memberCounts: withEntry(s.memberCounts, channelId, count) }));
      },
    },
    connectionChanged(state) {
      if (state === 'CONNECTED' && leases.keys().length > 0) schedule(Math.max(0, lastCallAt + MIN_CALL_INTERVAL_MS - Date.now()));
    },
    reset: () => ({ memberCounts: keyed(), memberCountError: null }),
  };
}
