import { memberCountDelayMs, type MemberCountThrottle } from '@rtm-kit/protocol';

/**
 * `MemberCountUpdated` of one joined channel (§3.1): the first count right away, then at most
 * one per period (longer above the large-channel threshold), the latest count at the end of a
 * period, and never a count equal to the last one reported — as the Web runtime's client-side
 * throttle does. The periods come from the server with the join, so a server configured with
 * other periods is followed.
 */
export class MemberCountReporter {
  readonly #throttle: MemberCountThrottle;
  readonly #report: (count: number) => void;
  #last: number | null = null;
  #lastAt = -Infinity;
  #pending: number | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #startTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(throttle: MemberCountThrottle, report: (count: number) => void) {
    this.#throttle = throttle;
    this.#report = report;
  }

  /** The last count reported, if any. */
  get last(): number | null {
    return this.#last;
  }

  /**
   * The count a join answered. Reported on the next turn of the event loop — after `join()`
   * resolved, so a listener added once it resolved hears it too — unless a fresher count arrives
   * first.
   */
  start(count: number): void {
    if (this.#startTimer !== null) clearTimeout(this.#startTimer);
    this.#startTimer = setTimeout(() => {
      this.#startTimer = null;
      this.update(count);
    }, 0);
  }

  update(count: number): void {
    if (this.#startTimer !== null) {
      clearTimeout(this.#startTimer);
      this.#startTimer = null;
    }
    if (this.#timer !== null) {
      this.#pending = count;
      return;
    }
    const wait = memberCountDelayMs(this.#throttle, this.#lastAt, count, Date.now());
    if (wait === 0) {
      this.#emit(count);
      return;
    }
    this.#pending = count;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const pending = this.#pending;
      this.#pending = null;
      if (pending !== null) this.#emit(pending);
    }, wait);
  }

  /** Stop a pending report (the channel was left). */
  dispose(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#startTimer !== null) clearTimeout(this.#startTimer);
    this.#timer = null;
    this.#startTimer = null;
    this.#pending = null;
  }

  #emit(count: number): void {
    if (count === this.#last) return;
    this.#last = count;
    this.#lastAt = Date.now();
    this.#report(count);
  }
}
