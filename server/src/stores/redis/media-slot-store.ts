import type { Redis } from 'ioredis';
import type { MediaSlotStore } from '../../core/media/media-slots.js';
import type { RedisKeys } from './keys.js';
import { defineScripts, TTL_SLACK_MS } from './scripts.js';

/** How long a slot stays held without a renewal: the bound on a dead node's slots. */
export const DEFAULT_MEDIA_SLOT_LEASE_MS = 10 * 60_000;

/**
 * The user's slots are one sorted set: holder → when its lease ends (by the core's clock). A set
 * of holders rather than an INCR/DECR counter: giving back is a ZREM, so it counts once however
 * many nodes release the same upload, and a dead node's slots lapse one by one while the user's
 * other transfers keep the key alive (a counter with a TTL would either never forget them or
 * forget live ones too). The key itself expires a lease after its last change.
 *
 * KEYS: the user's slots. ARGV: holder, max, now, lease ms, slack ms.
 */
const TAKE = `
local key, holder = KEYS[1], ARGV[1]
local max, now, lease, slack = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if not redis.call('ZSCORE', key, holder) and redis.call('ZCARD', key) >= max then return 0 end
redis.call('ZADD', key, now + lease, holder)
redis.call('PEXPIRE', key, lease + slack)
return 1
`;

/** KEYS: the user's slots. ARGV: holder, now, lease ms, slack ms. Renews only a slot still held. */
const RENEW = `
local key, holder = KEYS[1], ARGV[1]
local now, lease, slack = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if redis.call('ZADD', key, 'XX', 'CH', now + lease, holder) == 1 then redis.call('PEXPIRE', key, lease + slack) end
return 1
`;

const SLOT_SCRIPTS = { take: { keys: 1, lua: TAKE }, renew: { keys: 1, lua: RENEW } };

/**
 * Media transfer slots every node of a fleet shares. A slot not renewed for `leaseMs` is free
 * again: that bounds how long a node that died mid-transfer keeps its users' slots. Uploads renew
 * theirs with each chunk; a download longer than the lease stops counting when it runs out.
 */
export class RedisMediaSlotStore implements MediaSlotStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #leaseMs: number;
  readonly #scripts;

  constructor(redis: Redis, keys: RedisKeys, leaseMs = DEFAULT_MEDIA_SLOT_LEASE_MS) {
    this.#redis = redis;
    this.#keys = keys;
    this.#leaseMs = leaseMs;
    this.#scripts = defineScripts(redis, 'media_slots', SLOT_SCRIPTS);
  }

  async take(appId: string, uid: string, holder: string, max: number, now: number): Promise<boolean> {
    const reply = await this.#scripts.take([this.#key(appId, uid)], [holder, max, now, this.#leaseMs, TTL_SLACK_MS]);
    return Number(reply) === 1;
  }

  async give(appId: string, uid: string, holder: string): Promise<boolean> {
    return (await this.#redis.zrem(this.#key(appId, uid), holder)) === 1;
  }

  async renew(appId: string, uid: string, holder: string, now: number): Promise<void> {
    await this.#scripts.renew([this.#key(appId, uid)], [holder, now, this.#leaseMs, TTL_SLACK_MS]);
  }

  #key(appId: string, uid: string): string {
    return this.#keys.part(appId, 'media-slots', uid);
  }
}
