import type { Clock, TimerHandle } from '../clock.js';

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
  readonly log: (level: 'warn' | 'error', message: string, detail?: unknown) => void;
}

interface ChannelState {
  lastAt: number;
  lastCount: number;
  timer: TimerHandle | null;
}

/**
 * `MemberCountUpdated` per channel (§3.1, §9.4): leading and trailing, at most once per period,
 * never for a count equal to the last one sent. The first change after a quiet period goes out
 * at once; changes within the period are folded into one update at its end, carrying the count
 * at that moment. Node-local: with several nodes each throttles what it changes, and clients
 * throttle again on their side with the same periods.
 */
export class MemberCountThrottle {
  readonly #o: MemberCountThrottleOptions;
  readonly #channels = new Map<string, ChannelState>();

  constructor(options: MemberCountThrottleOptions) {
    this.#o = options;
  }

  /** The count of a channel changed to `count`. */
  changed(appId: string, channelId: string, count: number): void {
    const key = `${appId}${channelId}`;
    let state = this.#channels.get(key);
    if (!state) {
      state = { lastAt: -Infinity, lastCount: -1, timer: null };
      this.#channels.set(key, state);
    }
    if (state.timer !== null) return; // the trailing update will carry the latest count
    const now = this.#o.clock.now();
    const due = state.lastAt + this.#period(count);
    if (now >= due) {
      this.#emit(key, state, appId, channelId, count, now);
      return;
    }
    const s = state;
    s.timer = this.#o.clock.setTimeout(() => {
      s.timer = null;
      this.#o
        .read(appId, channelId)
        .then((latest) => this.#emit(key, s, appId, channelId, latest, this.#o.clock.now()))
        .catch((error: unknown) => this.#o.log('error', 'reading a member count failed', error));
    }, due - now);
  }

  /** Stop every pending update (server shutdown). */
  dispose(): void {
    for (const state of this.#channels.values()) if (state.timer !== null) this.#o.clock.clearTimeout(state.timer);
    this.#channels.clear();
  }

  #emit(key: string, state: ChannelState, appId: string, channelId: string, count: number, now: number): void {
    if (count !== state.lastCount) {
      this.#o.send(appId, channelId, count);
      state.lastAt = now;
      state.lastCount = count;
    }
    // An empty channel has nobody to tell; forget it so the map holds live channels only.
    if (count === 0 && state.timer === null && this.#channels.get(key) === state) this.#channels.delete(key);
  }

  #period(count: number): number {
    return count > this.#o.largeAbove ? this.#o.largePeriodMs : this.#o.periodMs;
  }
}
