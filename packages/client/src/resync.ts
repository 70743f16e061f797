import { Backoff } from './backoff.js';
import type { Logger } from './config.js';
import type { Connection } from './connection.js';

/**
 * Brings one domain's state on the server back in line with the client's after a reconnect
 * (§9.1: the SDK restores subscriptions and learns what happened while it was away), and keeps at
 * it until it is. A bare request that fails or times out would leave the two out of step for the
 * rest of the session, so a failed attempt is tried again after a bounded backoff: the
 * connection's own reconnect delays (`reconnectDelayMs`, doubling up to `reconnectDelayMaxMs`).
 *
 * A round starts with each ready connection and ends with the session or the connection: when
 * the connection is not ready, nothing is sent, and the next ready connection starts a new round.
 * `run` must send the client's current state each time it is called, so the last successful run
 * wins whatever happened before it.
 *
 * @example
 * const resync = new Resync(connection, log, 'restoring subscriptions', () => this.#restore());
 * connection.addHooks({ ready: (info) => (info.initial ? undefined : resync.start()), closed: () => resync.stop() });
 */
export class Resync {
  readonly #connection: Connection;
  readonly #log: Logger;
  readonly #what: string;
  readonly #run: () => Promise<void>;
  /** Bumped by every start and stop: a timer or an answer of an older round does nothing. */
  #round = 0;
  #started = false;
  #running = false;
  #again = false;
  readonly #retry: Backoff;

  constructor(connection: Connection, log: Logger, what: string, run: () => Promise<void>) {
    this.#connection = connection;
    this.#log = log;
    this.#what = what;
    this.#run = run;
    const { reconnectDelayMs, reconnectDelayMaxMs } = connection.timing;
    this.#retry = new Backoff(Math.max(reconnectDelayMs, MIN_RETRY_MS), Math.max(reconnectDelayMaxMs, MIN_RETRY_MS));
  }

  /** True while an attempt is on its way. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * A connection is ready: start a round with an attempt now. Resolves once that first attempt is
   * over, whatever its outcome, so the client reports CONNECTED after it; retries go on after.
   */
  start(): Promise<void> {
    this.stop();
    this.#started = true;
    return this.#attempt(this.#round);
  }

  /**
   * Run once more: the client's state changed in a way the last attempt may have missed. Queued
   * behind an attempt on its way; nothing to do before the first ready connection or while a
   * retry is already due.
   */
  again(): void {
    if (!this.#started) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (!this.#retry.due) void this.#attempt(this.#round);
  }

  /** The session or the connection is gone: stop retrying until the next `start`. */
  stop(): void {
    this.#round++;
    this.#started = false;
    this.#running = false;
    this.#again = false;
    this.#retry.cancel();
    this.#retry.reset();
  }

  async #attempt(round: number): Promise<void> {
    if (round !== this.#round) return;
    if (!this.#connection.isReady) {
      this.stop(); // the next ready connection starts over
      return;
    }
    this.#running = true;
    this.#again = false;
    let failure: { error: unknown } | null = null;
    try {
      await this.#run();
    } catch (error) {
      failure = { error };
    }
    if (round !== this.#round) return;
    this.#running = false;
    if (failure === null) {
      this.#retry.reset();
      if (this.#again) void this.#attempt(round);
      return;
    }
    if (!this.#connection.isReady) {
      this.stop();
      return;
    }
    const delay = this.#retry.schedule(() => void this.#attempt(round));
    this.#log.warn(`${this.#what} after reconnecting failed (${describe(failure.error)}); trying again in ${delay} ms`);
  }
}

/** Even with reconnect delays of 0 (tests), a failing request is not repeated back to back. */
const MIN_RETRY_MS = 100;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
