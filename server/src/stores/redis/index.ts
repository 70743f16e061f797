import { Redis } from 'ioredis';
import { resolveTiming, type Timing } from '@rtm-kit/protocol';
import type { Store } from '../../core/store.js';
import { RedisChannelAttributeStore, RedisUserAttributeStore } from './attribute-store.js';
import { RedisChannelStore } from './channel-store.js';
import { RedisInvitationStore } from './invitation-store.js';
import { RedisKeys } from './keys.js';
import { RedisMediaSlotStore } from './media-slot-store.js';
import { RedisPeerStore } from './peer-store.js';
import { RedisPresenceStore } from './presence-store.js';
import { RedisRateLimitStore } from './rate-limit-store.js';
import { TTL_SLACK_MS } from './scripts.js';
import { RedisSendLedgerStore } from './send-ledger-store.js';
import { RedisSessionStore } from './session-store.js';

export interface RedisStoreOptions {
  /** Where Redis is, e.g. `redis://127.0.0.1:6379` (the default). Ignored with `client`. */
  readonly url?: string | undefined;
  /** A client to use instead of connecting; the store does not close it. */
  readonly client?: Redis | undefined;
  /** What every key starts with (default `rtm:`); no braces. */
  readonly keyPrefix?: string | undefined;
  /**
   * The server's durations, where the store needs one the interface does not pass: how long an
   * open or finished invitation may be kept (`invitation*Ms`, `endedInvitationMemoryMs`).
   */
  readonly timing?: Partial<Timing> | undefined;
}

/**
 * Every part of the `Store` in Redis, so that several server nodes share one state and offline
 * messages, channel attributes and invitations survive restarts. Each state change the core
 * relies on being atomic is one Lua script; all keys of an app share a Redis Cluster hash tag
 * (see `keys.ts`), and lifetimes the spec gives (remembered session ends, held messages, replay
 * buffers, invitations, message-id ledger entries) are Redis TTLs.
 *
 * @example
 * const store = new RedisStore({ url: 'redis://127.0.0.1:6379' });
 * await store.ping();
 * const server = await startServer({ store });
 * // ...
 * await store.close(); // quits the connection it opened
 */
export class RedisStore implements Store {
  /** The client, for other parts of the server that keep state beside the store's. */
  readonly redis: Redis;
  /** The key names, for the same: `keys.part(appId, 'my-part', ...)` stays in the app's slot. */
  readonly keys: RedisKeys;
  readonly sessions: RedisSessionStore;
  readonly peer: RedisPeerStore;
  readonly sendLedger: RedisSendLedgerStore;
  readonly channels: RedisChannelStore;
  readonly userAttributes: RedisUserAttributeStore;
  readonly channelAttributes: RedisChannelAttributeStore;
  readonly presence: RedisPresenceStore;
  readonly invitations: RedisInvitationStore;
  readonly rateLimits: RedisRateLimitStore;
  readonly mediaSlots: RedisMediaSlotStore;
  readonly #owned: boolean;

  constructor(options: RedisStoreOptions = {}) {
    this.keys = new RedisKeys(options.keyPrefix ?? 'rtm:');
    if (options.client?.options.keyPrefix) {
      // Scripts build some of an app's keys themselves, which ioredis would not prefix.
      throw new Error('Give RedisStore a client without ioredis keyPrefix; pass keyPrefix to RedisStore instead.');
    }
    this.#owned = options.client === undefined;
    this.redis = options.client ?? new Redis(options.url ?? 'redis://127.0.0.1:6379');
    const timing = resolveTiming(options.timing);
    const finishedMs = timing.endedInvitationMemoryMs + TTL_SLACK_MS;
    const openMs = timing.invitationDeliveryMs + timing.invitationExpireMs + timing.invitationAcceptAckMs + finishedMs;
    this.sessions = new RedisSessionStore(this.redis, this.keys);
    this.peer = new RedisPeerStore(this.redis, this.keys);
    this.sendLedger = new RedisSendLedgerStore(this.redis, this.keys);
    this.channels = new RedisChannelStore(this.redis, this.keys);
    this.userAttributes = new RedisUserAttributeStore(this.redis, this.keys);
    this.channelAttributes = new RedisChannelAttributeStore(this.redis, this.keys);
    this.presence = new RedisPresenceStore(this.redis, this.keys);
    this.invitations = new RedisInvitationStore(this.redis, this.keys, { openMs, finishedMs });
    this.rateLimits = new RedisRateLimitStore(this.redis, this.keys.prefix);
    this.mediaSlots = new RedisMediaSlotStore(this.redis, this.keys);
  }

  /**
   * How many entries each part holds for users, sessions, channels and invitations, counted as
   * `MemoryStore.entryCounts` counts them: all zero once every session has ended by logout or
   * timeout. It SCANs every key under the prefix, so it is for tests and small deployments, not
   * for a hot path.
   */
  async entryCounts(): Promise<{
    sessions: number;
    presence: number;
    channels: number;
    userAttributes: number;
    channelAttributes: number;
    invitations: number;
  }> {
    const counts = { sessions: 0, presence: 0, channels: 0, userAttributes: 0, channelAttributes: 0, invitations: 0 };
    const prefix = this.keys.prefix;
    await this.#eachBatch((batch) => {
      for (const key of batch) {
        const rest = key.slice(prefix.length);
        if (rest.startsWith('session-ended:')) counts.sessions++;
        const part = /^\{[^}]*\}:([^:]+):(.*)$/.exec(rest);
        if (!part) continue;
        const [, name, tail = ''] = part;
        if (name === 'session') counts.sessions++;
        else if (name === 'presence' || name === 'subscriptions') counts.presence++;
        else if ((name === 'channel' && tail.endsWith(':members')) || (name === 'joined' && tail.endsWith(':session'))) counts.channels++;
        else if (name === 'user-attrs') counts.userAttributes++;
        else if (name === 'channel-attrs') counts.channelAttributes++;
        else if (name === 'invitation' || name === 'invitations') counts.invitations++;
      }
    });
    return counts;
  }

  /**
   * Deletes every key under the prefix, as a test or a benchmark leaves Redis when it is done
   * (SCAN and UNLINK, so Redis goes on serving other prefixes meanwhile).
   */
  async deleteAll(): Promise<void> {
    await this.#eachBatch(async (batch) => {
      if (batch.length > 0) await this.redis.unlink(...batch);
    });
  }

  /** Every key under the prefix, a SCAN batch at a time. */
  async #eachBatch(each: (keys: string[]) => void | Promise<void>): Promise<void> {
    let cursor = '0';
    // A full SCAN ends by itself; the bound (a billion keys at 1,000 a call) only keeps a broken
    // server from looping us forever.
    for (let calls = 0; calls < 1_000_000; calls++) {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', this.keys.pattern(), 'COUNT', 1_000);
      cursor = next;
      await each(batch);
      if (cursor === '0') return;
    }
    throw new Error('SCAN did not finish');
  }

  /** Resolves once Redis answers; rejects with the client's error when it does not. */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  /** Quits the connection if the store opened it; a client passed in stays open. */
  async close(): Promise<void> {
    if (this.#owned && this.redis.status !== 'end') await this.redis.quit();
  }
}

export { RedisKeys, segment } from './keys.js';
export { RedisMediaSlotStore } from './media-slot-store.js';
export { RedisMediaStorage, type RedisMediaStorageOptions } from './media-storage.js';
