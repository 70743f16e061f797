import type { Clock, TimerHandle } from './clock.js';
import type { CoreLog } from './log.js';

/**
 * Deadlines of the core that must fire even if the node that set them is gone: the grace period
 * of a dropped connection, token expiry, invitation timeouts, the clearing of an empty channel's
 * attributes. A deadline is named by a kind and a key; scheduling the same kind and key again
 * moves it. When it is due, the kind's handler runs on one node with the key and the time it was
 * due.
 *
 * Handlers hold no state of their own: they read what they need from the store and re-check
 * their condition, because a deadline may fire late, after a cancel that raced it, or twice (a
 * node that died while running it leaves it to another node). Conditions compare with `dueAt`,
 * never with the clock at the time the handler runs: a timer may fire a millisecond early, and a
 * moved deadline (a renewed token) makes the old condition false.
 *
 * @example
 * scheduler.handle('session.grace', (key, dueAt) => endIfStillAway(parseDeadlineKey(key), dueAt));
 * await scheduler.schedule('session.grace', deadlineKey(appId, uid, sessionId), now + graceMs);
 */
export interface Scheduler {
  /** Register the handler of a kind; one per kind, before any of its deadlines is due. */
  handle(kind: string, handler: DeadlineHandler): void;
  /** Run the kind's handler with `key` at `dueAt` (or as soon after as this node can). */
  schedule(kind: string, key: string, dueAt: number): Promise<void>;
  /** Forget the deadline, if it has not started running. */
  cancel(kind: string, key: string): Promise<void>;
  /** Stop firing on this node; deadlines held elsewhere (Redis) stay for the other nodes. */
  dispose(): void;
}

export type DeadlineHandler = (key: string, dueAt: number) => Promise<void>;

/** A key made of several parts (app ID, uid, session ID ...), none of which can be confused. */
export function deadlineKey(...parts: readonly string[]): string {
  return JSON.stringify(parts);
}

/** The parts of a `deadlineKey`; an empty list for a key it did not make. */
export function parseDeadlineKey(key: string): string[] {
  try {
    const parts: unknown = JSON.parse(key);
    return Array.isArray(parts) && parts.every((p) => typeof p === 'string') ? parts : [];
  } catch {
    return [];
  }
}

/**
 * Runs one due deadline: finds its handler and logs what it throws. Shared by every scheduler so
 * that a failing handler never stops the others.
 */
export async function runDeadline(
  handlers: ReadonlyMap<string, DeadlineHandler>,
  kind: string,
  key: string,
  dueAt: number,
  log: CoreLog,
): Promise<void> {
  const handler = handlers.get(kind);
  if (!handler) {
    log('warn', `no handler for deadlines of kind ${kind}`);
    return;
  }
  try {
    await handler(key, dueAt);
  } catch (error) {
    log('error', `deadline ${kind} failed`, error);
  }
}

/**
 * The embedded scheduler: one clock timer per deadline, in this process. A manual clock makes its
 * 30 s deadlines fire in tests at once.
 */
export class TimerScheduler implements Scheduler {
  readonly #clock: Clock;
  readonly #log: CoreLog;
  readonly #handlers = new Map<string, DeadlineHandler>();
  readonly #timers = new Map<string, TimerHandle>();

  constructor(clock: Clock, log: CoreLog = () => {}) {
    this.#clock = clock;
    this.#log = log;
  }

  handle(kind: string, handler: DeadlineHandler): void {
    this.#handlers.set(kind, handler);
  }

  async schedule(kind: string, key: string, dueAt: number): Promise<void> {
    const id = `${kind}\u0000${key}`;
    const existing = this.#timers.get(id);
    if (existing !== undefined) this.#clock.clearTimeout(existing);
    const handle = this.#clock.setTimeout(() => {
      if (this.#timers.get(id) === handle) this.#timers.delete(id);
      void runDeadline(this.#handlers, kind, key, dueAt, this.#log);
    }, Math.max(0, dueAt - this.#clock.now()));
    this.#timers.set(id, handle);
  }

  async cancel(kind: string, key: string): Promise<void> {
    const id = `${kind}\u0000${key}`;
    const existing = this.#timers.get(id);
    if (existing === undefined) return;
    this.#clock.clearTimeout(existing);
    this.#timers.delete(id);
  }

  /** Deadlines waiting on this node (for tests and leak checks). */
  get size(): number {
    return this.#timers.size;
  }

  dispose(): void {
    for (const handle of this.#timers.values()) this.#clock.clearTimeout(handle);
    this.#timers.clear();
  }
}
