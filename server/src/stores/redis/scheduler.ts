import type { Redis } from 'ioredis';
import type { Clock } from '../../core/clock.js';
import type { CoreLog } from '../../core/context.js';
import { runDeadline, type DeadlineHandler, type Scheduler } from '../../core/scheduler.js';
import { defineScripts } from './scripts.js';

export interface RedisSchedulerOptions {
  /** How often each node looks for due deadlines. Default 100 ms: a deadline fires at most this late. */
  readonly pollMs?: number | undefined;
  /**
   * How long a node may run a deadline's handler before others take it to have died with it and
   * run it again. Default 30 s.
   */
  readonly leaseMs?: number | undefined;
  /** Deadlines one poll takes at most; more wait for the next poll. Default 100. */
  readonly batch?: number | undefined;
}

/**
 * Deadlines in a sorted set every node polls: scheduling is ZADD (moving a deadline is the same
 * ZADD), cancelling is ZREM, and a poll claims what is due in one script, so each deadline runs
 * on exactly one node. A claimed deadline moves to a second set with a lease; the node removes it
 * when its handler is done. If the node dies first, the lease runs out and the next poll of any
 * node puts it back as due (handlers re-check the store, so running one twice is harmless).
 *
 * Chosen over a job library (BullMQ and the like): deadlines here are tiny, replace each other by
 * key, need no retries, payloads or priorities, and must move and cancel cheaply on every
 * connection drop and token renewal; a job queue would add a worker model and several keys per job.
 */
const SCRIPTS = {
  // KEYS[1] due (member: kind NUL key, score: dueAt), KEYS[2] running (member: dueAt|member, score: lease end)
  // ARGV now, batch, leaseUntil. Returns [member, dueAt, member, dueAt, ...] claimed.
  claim: {
    keys: 2,
    lua: `
local now, batch, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, batch)
for _, entry in ipairs(stale) do
  redis.call('ZREM', KEYS[2], entry)
  local sep = string.find(entry, '|', 1, true)
  local member = string.sub(entry, sep + 1)
  if not redis.call('ZSCORE', KEYS[1], member) then
    redis.call('ZADD', KEYS[1], string.sub(entry, 1, sep - 1), member)
  end
end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, batch)
local out = {}
for i = 1, #due, 2 do
  redis.call('ZREM', KEYS[1], due[i])
  redis.call('ZADD', KEYS[2], lease, due[i + 1] .. '|' .. due[i])
  out[#out + 1] = due[i]
  out[#out + 1] = due[i + 1]
end
return out
`,
  },
} as const;

export class RedisScheduler implements Scheduler {
  readonly #redis: Redis;
  readonly #clock: Clock;
  readonly #log: CoreLog;
  readonly #due: string;
  readonly #running: string;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #batch: number;
  readonly #scripts;
  readonly #handlers = new Map<string, DeadlineHandler>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;

  constructor(redis: Redis, prefix: string, clock: Clock, log: CoreLog, options: RedisSchedulerOptions = {}) {
    this.#redis = redis;
    this.#clock = clock;
    this.#log = log;
    this.#due = `${prefix}deadlines`;
    this.#running = `${prefix}deadlines:running`;
    this.#pollMs = options.pollMs ?? 100;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#batch = options.batch ?? 100;
    this.#scripts = defineScripts(redis, 'scheduler', SCRIPTS);
  }

  /**
   * Start claiming due deadlines, once every kind's handler is registered: a deadline claimed
   * with no handler to run it would be lost.
   */
  start(): void {
    if (this.#timer === null && !this.#stopped) this.#next();
  }

  handle(kind: string, handler: DeadlineHandler): void {
    this.#handlers.set(kind, handler);
  }

  async schedule(kind: string, key: string, dueAt: number): Promise<void> {
    await this.#redis.zadd(this.#due, dueAt, member(kind, key));
  }

  async cancel(kind: string, key: string): Promise<void> {
    await this.#redis.zrem(this.#due, member(kind, key));
  }

  dispose(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /**
   * Polls run on real time and compare with the core's clock: a test's manual clock decides what
   * is due without having to step through every poll of a jump of 60 s.
   */
  #next(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#poll()
        .catch((error: unknown) => {
          // Redis away: deadlines wait in it and fire once it is back.
          if (!this.#stopped) this.#log('warn', 'polling deadlines failed', error);
        })
        .finally(() => this.#next());
    }, this.#pollMs);
    // Waiting deadlines must not keep a process alive that is otherwise done.
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    const now = this.#clock.now();
    const claimed = (await this.#scripts.claim([this.#due, this.#running], [now, this.#batch, now + this.#leaseMs])) as string[];
    const runs: Array<Promise<void>> = [];
    for (let i = 0; i + 1 < claimed.length; i += 2) {
      const entry = claimed[i]!;
      const dueAt = Number(claimed[i + 1]);
      const sep = entry.indexOf('\u0000');
      const kind = entry.slice(0, sep);
      const key = entry.slice(sep + 1);
      runs.push(
        runDeadline(this.#handlers, kind, key, dueAt, this.#log).then(async () => {
          await this.#redis.zrem(this.#running, `${claimed[i + 1]}|${entry}`);
        }),
      );
    }
    await Promise.all(runs);
  }
}

function member(kind: string, key: string): string {
  return `${kind}\u0000${key}`;
}
