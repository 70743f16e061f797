import type { Redis } from 'ioredis';
import type { PeerOnlineState, PresenceChange, PresenceSnapshot } from '@rtm-kit/protocol';
import type { AddSubscriptionsResult, PresenceStep, PresenceStore } from '../../core/presence/store.js';
import type { RedisKeys } from './keys.js';
import { defineScripts } from './scripts.js';

/**
 * Online statuses and subscriptions in Redis. A user with a session has a hash (`session`,
 * `rank`, `state`); everyone else is OFFLINE. Versions come from one counter per app, increased
 * in the same script as the change it numbers, and a snapshot reads the counter and the statuses
 * in one script, so snapshots and changes are ordered. A session's subscriptions are a set.
 */
const SCRIPTS = {
  /** KEYS: the user's status, the app's version. ARGV: kind, sessionId, rank, state. Returns { version, state } or nil. */
  record: {
    keys: 2,
    lua: `
local e = redis.call('HMGET', KEYS[1], 'session', 'rank', 'state')
local before = e[3] or 'OFFLINE'
local after
if ARGV[1] == 'start' then
  redis.call('HSET', KEYS[1], 'session', ARGV[2], 'rank', ARGV[3], 'state', 'ONLINE')
  after = 'ONLINE'
elseif ARGV[1] == 'connection' then
  if e[1] ~= ARGV[2] or tonumber(e[2]) >= tonumber(ARGV[3]) then return false end
  redis.call('HSET', KEYS[1], 'rank', ARGV[3], 'state', ARGV[4])
  after = ARGV[4]
elseif ARGV[1] == 'end' then
  if e[1] ~= ARGV[2] then return false end
  redis.call('DEL', KEYS[1])
  after = 'OFFLINE'
else
  error('unknown presence step ' .. ARGV[1])
end
if after == before then return false end
return { redis.call('INCR', KEYS[2]), after }
`,
  },
  /** KEYS: the app's version, then each user's status. Returns { version, state... }. */
  snapshot: {
    keys: -1,
    lua: `
local out = { tonumber(redis.call('GET', KEYS[1]) or '0') }
for i = 2, #KEYS do out[i] = redis.call('HGET', KEYS[i], 'state') or 'OFFLINE' end
return out
`,
  },
  /** ARGV: max, peers... Returns the peers added, or nil when over max. */
  add: {
    keys: 1,
    lua: `
local added, seen = {}, {}
for i = 2, #ARGV do
  local peer = ARGV[i]
  if not seen[peer] then
    seen[peer] = true
    if redis.call('SISMEMBER', KEYS[1], peer) == 0 then added[#added + 1] = peer end
  end
end
if redis.call('SCARD', KEYS[1]) + #added > tonumber(ARGV[1]) then return false end
for _, peer in ipairs(added) do redis.call('SADD', KEYS[1], peer) end
return added
`,
  },
  /** ARGV: peers. Returns those that were subscribed. */
  remove: {
    keys: 1,
    lua: `
local removed, seen = {}, {}
for i = 1, #ARGV do
  local peer = ARGV[i]
  if not seen[peer] then
    seen[peer] = true
    if redis.call('SREM', KEYS[1], peer) == 1 then removed[#removed + 1] = peer end
  end
end
return removed
`,
  },
  /** ARGV: peers. Returns those dropped. */
  replace: {
    keys: 1,
    lua: `
local keep = {}
for i = 1, #ARGV do keep[ARGV[i]] = true end
local dropped = {}
for _, peer in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if not keep[peer] then dropped[#dropped + 1] = peer end
end
redis.call('DEL', KEYS[1])
for i = 1, #ARGV do redis.call('SADD', KEYS[1], ARGV[i]) end
return dropped
`,
  },
} as const;

export class RedisPresenceStore implements PresenceStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #scripts;

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#keys = keys;
    this.#scripts = defineScripts(redis, 'presence', SCRIPTS);
  }

  async recordPresence(appId: string, uid: string, step: PresenceStep): Promise<PresenceChange | null> {
    const args = [step.kind, step.sessionId, step.kind === 'end' ? '' : step.rank, step.kind === 'connection' ? step.state : ''];
    const reply = (await this.#scripts.record([this.#keys.presence(appId, uid), this.#keys.presenceVersion(appId)], args)) as
      | [number, PeerOnlineState]
      | null;
    return reply === null ? null : { uid, state: reply[1], version: Number(reply[0]) };
  }

  async presenceSnapshot(appId: string, uids: readonly string[]): Promise<PresenceSnapshot> {
    const keys = [this.#keys.presenceVersion(appId), ...uids.map((uid) => this.#keys.presence(appId, uid))];
    const reply = (await this.#scripts.snapshot(keys, [])) as [number, ...PeerOnlineState[]];
    return { version: Number(reply[0]), peers: uids.map((uid, i) => ({ uid, state: reply[i + 1] as PeerOnlineState })) };
  }

  async addSubscriptions(appId: string, sessionId: string, peers: readonly string[], max: number): Promise<AddSubscriptionsResult> {
    const limit = Number.isFinite(max) ? max : Number.MAX_SAFE_INTEGER;
    const reply = (await this.#scripts.add([this.#keys.subscriptions(appId, sessionId)], [limit, ...peers])) as string[] | null;
    return reply === null ? { ok: false, reason: 'OVERFLOW' } : { ok: true, added: reply };
  }

  async removeSubscriptions(appId: string, sessionId: string, peers: readonly string[]): Promise<string[]> {
    return (await this.#scripts.remove([this.#keys.subscriptions(appId, sessionId)], peers)) as string[];
  }

  async replaceSubscriptions(appId: string, sessionId: string, peers: readonly string[]): Promise<string[]> {
    return (await this.#scripts.replace([this.#keys.subscriptions(appId, sessionId)], peers)) as string[];
  }

  async listSubscriptions(appId: string, sessionId: string): Promise<string[]> {
    return this.#redis.smembers(this.#keys.subscriptions(appId, sessionId));
  }

  async clearSubscriptions(appId: string, sessionId: string): Promise<void> {
    await this.#redis.del(this.#keys.subscriptions(appId, sessionId));
  }
}
