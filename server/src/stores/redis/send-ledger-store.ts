import type { Redis } from 'ioredis';
import type { SendClaim, SendLedgerStore, SendOutcome } from '../../core/messaging/send-ledger-store.js';
import type { RedisKeys } from './keys.js';
import { defineScripts, TTL_SLACK_MS } from './scripts.js';

/**
 * One key per (sender, message id): `<keepUntil>|<state>`, the state `p` while pending, `1` or `0`
 * once settled (delivered or not). A claim is a SET with expiry unless the id is known and kept
 * at `now`; the TTL is what is left by the core's clock (`keepUntil - now`) plus slack. `settle`
 * is given no time: it moves the key's TTL by as much as it moves `keepUntil`.
 */
const SCRIPTS = {
  /** ARGV: now, keepUntil, slack. Returns 'new', 'p', '1' or '0'. */
  claim: {
    keys: 1,
    lua: `
local known = redis.call('GET', KEYS[1])
if known then
  local untilAt, state = string.match(known, '^([^|]*)|(.*)$')
  if tonumber(untilAt) > tonumber(ARGV[1]) then return state end
end
local ttl = math.max(1, math.floor(tonumber(ARGV[2]) - tonumber(ARGV[1]))) + tonumber(ARGV[3])
redis.call('SET', KEYS[1], ARGV[2] .. '|p', 'PX', ttl)
return 'new'
`,
  },
  /** ARGV: keepUntil, '1' | '0'. */
  settle: {
    keys: 1,
    lua: `
local known = redis.call('GET', KEYS[1])
if not known then return 0 end
local untilAt = tonumber(string.match(known, '^([^|]*)|'))
local ttl = redis.call('PTTL', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'KEEPTTL')
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], math.max(1, math.floor(ttl + tonumber(ARGV[1]) - untilAt))) end
return 1
`,
  },
} as const;

export class RedisSendLedgerStore implements SendLedgerStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #scripts;

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#keys = keys;
    this.#scripts = defineScripts(redis, 'ledger', SCRIPTS);
  }

  async claim(appId: string, sender: string, id: string, now: number, keepUntil: number): Promise<SendClaim> {
    const state = await this.#scripts.claim([this.#keys.sendLedger(appId, sender, id)], [now, keepUntil, TTL_SLACK_MS]);
    if (state === 'new') return { state: 'new' };
    if (state === 'p') return { state: 'pending' };
    return { state: 'done', outcome: { delivered: state === '1' } };
  }

  async settle(appId: string, sender: string, id: string, outcome: SendOutcome, keepUntil: number): Promise<void> {
    await this.#scripts.settle([this.#keys.sendLedger(appId, sender, id)], [keepUntil, outcome.delivered ? '1' : '0']);
  }

  async release(appId: string, sender: string, id: string): Promise<void> {
    await this.#redis.del(this.#keys.sendLedger(appId, sender, id));
  }
}
