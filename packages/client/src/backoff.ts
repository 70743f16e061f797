/**
 * One retry at a time, with a delay that starts at `minMs` and doubles up to `maxMs` until
 * `reset()`: how the client tries again after the server refused a reconnection (socket.io
 * retries transport errors itself, with the same bounds), and how a resync tries again.
 */
export class Backoff {
  readonly #minMs: number;
  readonly #maxMs: number;
  #delay = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(minMs: number, maxMs: number) {
    this.#minMs = minMs;
    this.#maxMs = maxMs;
  }

  /** True while a retry is scheduled. */
  get due(): boolean {
    return this.#timer !== null;
  }

  /** Run `retry` after the next delay, unless a retry is already due; returns that delay. */
  schedule(retry: () => void): number {
    if (this.#timer !== null) return this.#delay;
    this.#delay = Math.min(this.#maxMs, this.#delay === 0 ? this.#minMs : this.#delay * 2);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      retry();
    }, this.#delay);
    return this.#delay;
  }

  /** Start again from the shortest delay (a connection succeeded, or a new login). */
  reset(): void {
    this.#delay = 0;
  }

  /** Drop a retry that is due. */
  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
