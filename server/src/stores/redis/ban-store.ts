import type { Redis } from 'ioredis';
import type { BanStore } from '../../ops/admin/bans.js';
import type { RedisKeys } from './keys.js';
import { TTL_SLACK_MS } from './scripts.js';

/**
 * An operator's bans where every node of a fleet checks logins: one key per banned uid holding
 * until when, expiring a little after that. Whether a ban is in force is decided against the
 * `now` the server passes, as in memory; the TTL only reclaims the key.
 */
export class RedisBanStore implements BanStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async ban(appId: string, uid: string, until: number): Promise<void> {
    const ttl = Math.max(1, until - Date.now()) + TTL_SLACK_MS;
    await this.#redis.set(this.#key(appId, uid), String(until), 'PX', ttl);
  }

  async unban(appId: string, uid: string, now: number): Promise<boolean> {
    const until = await this.#redis.getdel(this.#key(appId, uid));
    return until !== null && Number(until) > now;
  }

  async bannedUntil(appId: string, uid: string, now: number): Promise<number | null> {
    const raw = await this.#redis.get(this.#key(appId, uid));
    const until = raw === null ? NaN : Number(raw);
    return Number.isFinite(until) && until > now ? until : null;
  }

  #key(appId: string, uid: string): string {
    return this.#keys.part(appId, 'ban', uid);
  }
}
