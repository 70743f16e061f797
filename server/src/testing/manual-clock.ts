import type { Clock, TimerHandle } from '../core/clock.js';

export interface ManualClock extends Clock {
  /** Move time forward, firing due timers in order (awaiting the microtasks each one starts). */
  advance(ms: number): Promise<void>;
  /** Timers not yet fired. */
  pending(): number;
}

/**
 * A clock that only moves when told to, for running the 30 s and 60 s rules in milliseconds.
 * Pass it as `startServer({ clock })`; real sockets keep using real time.
 *
 * @example
 * const clock = createManualClock();
 * const server = await startServer({ port: 0, clock });
 * await clock.advance(30_000); // the grace period is over
 */
export function createManualClock(start: number = Date.now()): ManualClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();

  const clock: ManualClock = {
    now: () => now,
    setTimeout(callback, ms) {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      return { id } as unknown as TimerHandle;
    },
    clearTimeout(handle) {
      timers.delete((handle as unknown as { id: number }).id);
    },
    async advance(ms) {
      const target = now + ms;
      for (let guard = 0; guard < 100_000; guard++) {
        let nextId = -1;
        let nextAt = Infinity;
        for (const [id, t] of timers) {
          if (t.at <= target && (t.at < nextAt || (t.at === nextAt && id < nextId))) {
            nextId = id;
            nextAt = t.at;
          }
        }
        if (nextId === -1) break;
        const timer = timers.get(nextId);
        timers.delete(nextId);
        now = nextAt;
        timer?.callback();
        // Let the async work a timer started (store calls, emits) settle before the next one.
        await settle();
      }
      now = target;
      await settle();
    },
    pending: () => timers.size,
  };
  return clock;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => nextTurn(resolve));
}

/** After pending I/O in Node; a zero timeout in a browser, which has no `setImmediate`. */
const nextTurn: (callback: () => void) => void =
  typeof setImmediate === 'function' ? (callback) => setImmediate(callback) : (callback) => setTimeout(callback, 0);
