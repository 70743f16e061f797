import type { Redis } from 'ioredis';
import type { RateLimit } from '@rtm-kit/protocol';
import type { RateLimitStore } from '../../core/rate-limits.js';
import { randomToken } from '../../core/secrets.js';
import { segment } from './keys.js';
import { defineScripts, TTL_SLACK_MS } from './scripts.js';

/**
 * Sliding windows in sorted sets, one per limit and key, so every node of a fleet counts against
 * one budget. Each call is one script: trim what left the window, compare, add. A window's key
 * expires once its last call has left it.
 *
 * The edges match the memory windows: a call made at `t` has left the window at `t + windowMs`.
 */
const SCRIPTS = {
  // KEYS[1] calls (score: when); ARGV now, windowMs, count, member
  take: {
    keys: 1,
    lua: `
local now, window, count = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= count then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window + ${TTL_SLACK_MS})
return 1
`,
  },
  // KEYS[1] targets (score: first use in the window); ARGV now, windowMs, count, target
  distinct: {
    keys: 1,
    lua: `
local now, window, count = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then return 1 end
if redis.call('ZCARD', KEYS[1]) >= count then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window + ${TTL_SLACK_MS})
return 1
`,
  },
} as const;

export class RedisRateLimitStore implements RateLimitStore {
  readonly #prefix: string;
  readonly #scripts;
  /** Calls at the same millisecond must be distinct members: this process's tag and a counter. */
  readonly #tag = randomToken().slice(0, 12);
  #counter = 0;

  constructor(redis: Redis, prefix: string) {
    this.#prefix = prefix;
    this.#scripts = defineScripts(redis, 'rate', SCRIPTS);
  }

  async tryTake(name: string, key: string, limit: RateLimit, now: number): Promise<boolean> {
    this.#counter = (this.#counter + 1) % Number.MAX_SAFE_INTEGER;
    const member = `${now}:${this.#tag}:${this.#counter}`;
    return (await this.#scripts.take([this.#key('calls', name, key)], [now, limit.windowMs, limit.count, member])) === 1;
  }

  async tryTakeDistinct(name: string, key: string, target: string, limit: RateLimit, now: number): Promise<boolean> {
    return (await this.#scripts.distinct([this.#key('targets', name, key)], [now, limit.windowMs, limit.count, target])) === 1;
  }

  /** Rate-limit keys are not per app (a key is often a session ID): `<prefix>rate:<kind>:<name>:<key>`. */
  #key(kind: string, name: string, key: string): string {
    return `${this.#prefix}rate:${kind}:${segment(name)}:${segment(key)}`;
  }
}
