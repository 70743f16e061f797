import { memberCountDelayMs } from '@rtm-kit/protocol';
import type { Clock, TimerHandle } from '../clock.js';
import { channelKey } from './channel-store.js';
import type { CoreLog } from '../context.js';

export interface MemberCountThrottleOptions {
  readonly clock: Clock;
  /** At most one update per this period ... */
  readonly periodMs: number;
  /** ... or per this one while the channel has more than `largeAbove` members (§9.4). */
  readonly largePeriodMs: number;
  readonly largeAbove: number;
  /** The channel's count now (read when a held-back update is finally sent). */
  readonly read: (appId: string, channelId: string) => Promise<number>;
  readonly send: (appId: string, channelId: string, count: number) => void;
  readonly log: CoreLog;
}

interface ChannelState {
  lastAt: number;
  lastCount: number;
  /** The trailing update is due: its timer runs ... */
  timer: TimerHandle | null;
  /** ... or it is reading the count to send. */
  reading: boolean;
  /** The count changed while it was being read: the value read may predate the change. */
  stale: boolean;
  /**
   * The lowest and highest counts told to members who joined since the last update went out
   * (each learns the count of its moment with its join), or null. The next update goes out even
   * if it equals the last one sent when a joiner was told another count (1 → 2 → 1: the joiner
   * knows 2, the others 1); clients drop an update equal to the count they last reported.
   */
  told: { min: number; max: number } | null;
}

/**
 * `MemberCountUpdated` per channel (§3.1, §9.4): leading and trailing, at most once per period,
 * never for a count equal to the last one sent unless a joiner was told another one (`told`). The first change after a quiet period goes out
 * at once; changes within the period are folded into one update at its end, carrying the count
 * at that moment. Node-local: with several nodes each throttles what it changes, and clients
 * throttle again on their side with the same periods.
 *
 * A trailing update is pending from the moment it is scheduled until the count it read has been
 * sent: a change while the read is in flight must not go out on its own (it would be followed
 * by the older value read, and the last count the members see would be wrong). Such a change
 * marks the read stale instead, and one more trailing update follows a period later.
 */
export class MemberCountThrottle {
  readonly #o: MemberCountThrottleOptions;
  readonly #channels = new Map<string, ChannelState>();
  #disposed = false;

  constructor(options: MemberCountThrottleOptions) {
    this.#o = options;
  }

  /** The count of a channel changed to `count`; `joined` when a join changed it (see `told`). */
  changed(appId: string, channelId: string, count: number, joined = false): void {
    const key = channelKey(appId, channelId);
    let state = this.#channels.get(key);
    if (!state) {
      state = { lastAt: -Infinity, lastCount: -1, timer: null, reading: false, stale: false, told: null };
      this.#channels.set(key, state);
    }
    if (joined) state.told = { min: Math.min(state.told?.min ?? count, count), max: Math.max(state.told?.max ?? count, count) };
    if (state.reading) {
      state.stale = true;
      return;
    }
    if (state.timer !== null) return; // the trailing update will carry the latest count
    const now = this.#o.clock.now();
    const wait = memberCountDelayMs(this.#o, state.lastAt, count, now);
    if (wait === 0) {
      this.#emit(key, state, appId, channelId, count, now);
      return;
    }
    this.#trail(key, state, appId, channelId, wait);
  }

  /** Stop every pending update (server shutdown). */
  dispose(): void {
    this.#disposed = true;
    for (const state of this.#channels.values()) if (state.timer !== null) this.#o.clock.clearTimeout(state.timer);
    this.#channels.clear();
  }

  /** Send the count as it is in `delayMs` (a trailing update). */
  #trail(key: string, state: ChannelState, appId: string, channelId: string, delayMs: number): void {
    state.timer = this.#o.clock.setTimeout(() => void this.#sendTrailing(key, state, appId, channelId), delayMs);
  }

  async #sendTrailing(key: string, state: ChannelState, appId: string, channelId: string): Promise<void> {
    state.timer = null;
    state.reading = true;
    state.stale = false;
    try {
      const latest = await this.#o.read(appId, channelId);
      state.reading = false;
      if (!this.#disposed) this.#emit(key, state, appId, channelId, latest, this.#o.clock.now());
    } catch (error) {
      this.#o.log('error', 'reading a member count failed', error);
    } finally {
      state.reading = false;
    }
    if (state.stale && !this.#disposed) {
      // A change during the read: its count goes out one period after what was just sent.
      state.stale = false;
      this.#trail(key, state, appId, channelId, memberCountDelayMs(this.#o, state.lastAt, state.lastCount, this.#o.clock.now()));
    }
  }

  #emit(key: string, state: ChannelState, appId: string, channelId: string, count: number, now: number): void {
    const joinerDiffers = state.told !== null && (state.told.min !== count || state.told.max !== count);
    state.told = null;
    if (count !== state.lastCount || joinerDiffers) {
      this.#o.send(appId, channelId, count);
      state.lastAt = now;
      state.lastCount = count;
    }
    // An empty channel has nobody to tell; forget it so the map holds live channels only.
    if (count === 0 && state.timer === null && !state.stale && this.#channels.get(key) === state) this.#channels.delete(key);
  }
}
