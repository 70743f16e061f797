import type { Redis } from 'ioredis';
import type { AttributeEntry } from '@rtm-kit/protocol';
import type {
  AttributeWrite,
  ChannelAttributeStore,
  ChannelAttributeWriteResult,
  StoredAttributeCaps,
  StoredChannelAttribute,
  UserAttributeStore,
  UserAttributeWriteResult,
} from '../../core/attributes/store.js';
import type { RedisKeys } from './keys.js';
import { defineScripts } from './scripts.js';

/**
 * Attribute sets in Redis. A set is a hash: `attributes`, a JSON array of entries in the order they
 * were first written (`[key, value]` for users, `[key, value, uid, ts]` for channels), plus
 * `session` (the owner of a user's set) or `emptySince` (a channel's, '' while it has members).
 * Each write is one script: apply, check the caps on the result (Lua string lengths are UTF-8
 * bytes), store. Channel attribute revisions come from one counter per app.
 *
 * No TTLs: user sets end with their session, channel sets when the channel has been empty long
 * enough (`expireChannelAttributes`, run by the core), and channel attributes must survive
 * restarts.
 */
const APPLY = `
-- The entries after 'write'; make(key, value) builds a stored entry.
local function apply(current, write, make)
  local out, index = {}, {}
  if write.kind == 'set' or write.kind == 'addOrUpdate' then
    if write.kind == 'addOrUpdate' then
      for _, e in ipairs(current) do
        out[#out + 1] = e
        index[e[1]] = #out
      end
    end
    for _, e in ipairs(write.entries) do
      local at = index[e[1]]
      if at then
        out[at] = make(e[1], e[2])
      else
        out[#out + 1] = make(e[1], e[2])
        index[e[1]] = #out
      end
    end
  elseif write.kind == 'delete' then
    local gone = {}
    for _, k in ipairs(write.keys) do gone[k] = true end
    for _, e in ipairs(current) do
      if not gone[e[1]] then out[#out + 1] = e end
    end
  elseif write.kind ~= 'clear' then
    error('unknown attribute write ' .. tostring(write.kind))
  end
  return out
end

-- maxCount < 0: no count cap.
local function fits(entries, maxCount, maxBytes)
  if maxCount >= 0 and #entries > maxCount then return false end
  local bytes = 0
  for _, e in ipairs(entries) do bytes = bytes + #e[1] + #e[2] end
  return bytes <= maxBytes
end

local function read(key)
  local raw = redis.call('HGET', key, 'attributes')
  if not raw then return {} end
  return cjson.decode(raw)
end

-- cjson writes an empty table as {}.
local function encode(entries)
  if #entries == 0 then return '[]' end
  return cjson.encode(entries)
end
`;

const SCRIPTS = {
  /** ARGV: sessionId, write JSON, maxCount, maxBytes. */
  writeUser: {
    keys: 1,
    lua: `${APPLY}
if redis.call('HGET', KEYS[1], 'session') ~= ARGV[1] then return 'NO_SESSION' end
local stored = apply(read(KEYS[1]), cjson.decode(ARGV[2]), function(k, v) return { k, v } end)
if not fits(stored, tonumber(ARGV[3]), tonumber(ARGV[4])) then return 'SIZE_OVERFLOW' end
redis.call('HSET', KEYS[1], 'attributes', encode(stored))
return 'OK'
`,
  },
  /** ARGV: sessionId. */
  closeUser: {
    keys: 1,
    lua: `
if redis.call('HGET', KEYS[1], 'session') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`,
  },
  /**
   * KEYS: the channel's set, the app's revision counter. ARGV: write JSON, uid, at, maxCount,
   * maxBytes, emptySince ('' for null). Returns { revision, emptySince, attributes } or { 0 }.
   */
  writeChannel: {
    keys: 2,
    lua: `${APPLY}
local exists = redis.call('EXISTS', KEYS[1]) == 1
local stored = apply(read(KEYS[1]), cjson.decode(ARGV[1]), function(k, v) return { k, v, ARGV[2], ARGV[3] } end)
if not fits(stored, tonumber(ARGV[4]), tonumber(ARGV[5])) then return { 0 } end
local revision = redis.call('INCR', KEYS[2])
local since = ARGV[6]
if exists then since = redis.call('HGET', KEYS[1], 'emptySince') or '' end
if #stored == 0 then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'attributes', encode(stored), 'emptySince', since)
end
return { revision, since, encode(stored) }
`,
  },
  /** ARGV: since ('' for null). */
  markEmpty: {
    keys: 1,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'emptySince', ARGV[1])
return 1
`,
  },
  /** ARGV: emptyBy. */
  expire: {
    keys: 1,
    lua: `
local since = redis.call('HGET', KEYS[1], 'emptySince')
if not since or since == '' or tonumber(since) > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
return 1
`,
  },
} as const;

type Scripts = ReturnType<typeof defineScripts<keyof typeof SCRIPTS>>;

function scriptsOf(redis: Redis): Scripts {
  return defineScripts(redis, 'attributes', SCRIPTS);
}

function capsArgs(caps: StoredAttributeCaps): [number, number] {
  return [Number.isFinite(caps.maxCount) ? caps.maxCount : -1, Number.isFinite(caps.maxBytes) ? caps.maxBytes : Number.MAX_SAFE_INTEGER];
}

/** A stored JSON array of entries (cjson may have written an empty one as `{}`). */
function entriesOf<E>(raw: string | null): E[] {
  if (raw === null) return [];
  const parsed = JSON.parse(raw) as unknown;
  return Array.isArray(parsed) ? (parsed as E[]) : [];
}

function pick<E extends readonly [string, ...unknown[]]>(entries: readonly E[], keys: readonly string[] | null): E[] {
  if (keys === null) return [...entries];
  const byKey = new Map(entries.map((e) => [e[0], e]));
  return keys.flatMap((key) => {
    const e = byKey.get(key);
    return e === undefined ? [] : [e];
  });
}

export class RedisUserAttributeStore implements UserAttributeStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #scripts: Scripts;

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#keys = keys;
    this.#scripts = scriptsOf(redis);
  }

  async openUserAttributes(appId: string, uid: string, sessionId: string): Promise<void> {
    const key = this.#keys.userAttributes(appId, uid);
    await this.#redis.multi().del(key).hset(key, 'session', sessionId, 'attributes', '[]').exec();
  }

  async writeUserAttributes(
    appId: string,
    uid: string,
    sessionId: string,
    write: AttributeWrite,
    caps: StoredAttributeCaps,
  ): Promise<UserAttributeWriteResult> {
    const reply = await this.#scripts.writeUser([this.#keys.userAttributes(appId, uid)], [sessionId, JSON.stringify(write), ...capsArgs(caps)]);
    if (reply === 'OK') return { ok: true };
    return { ok: false, reason: reply === 'NO_SESSION' ? 'NO_SESSION' : 'SIZE_OVERFLOW' };
  }

  async getUserAttributes(appId: string, uid: string, keys: readonly string[] | null): Promise<AttributeEntry[]> {
    const raw = await this.#redis.hget(this.#keys.userAttributes(appId, uid), 'attributes');
    return pick(entriesOf<[string, string]>(raw), keys);
  }

  async closeUserAttributes(appId: string, uid: string, sessionId: string): Promise<void> {
    await this.#scripts.closeUser([this.#keys.userAttributes(appId, uid)], [sessionId]);
  }
}

type ChannelEntry = [key: string, value: string, uid: string, ts: string];

function toAttribute([key, value, uid, ts]: ChannelEntry): StoredChannelAttribute {
  return { key, value, lastUpdateUserId: uid, lastUpdateTs: Number(ts) };
}

export class RedisChannelAttributeStore implements ChannelAttributeStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #scripts: Scripts;

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#keys = keys;
    this.#scripts = scriptsOf(redis);
  }

  async writeChannelAttributes(
    appId: string,
    channelId: string,
    write: AttributeWrite,
    by: { readonly uid: string; readonly at: number },
    caps: StoredAttributeCaps,
    emptySince: number | null,
  ): Promise<ChannelAttributeWriteResult> {
    const reply = (await this.#scripts.writeChannel(
      [this.#keys.channelAttributes(appId, channelId), this.#keys.channelAttributeRevision(appId)],
      [JSON.stringify(write), by.uid, String(by.at), ...capsArgs(caps), emptySince === null ? '' : String(emptySince)],
    )) as [number, string?, string?];
    if (reply[0] === 0) return { ok: false, reason: 'SIZE_OVERFLOW' };
    const since = reply[1] ?? '';
    return {
      ok: true,
      revision: Number(reply[0]),
      attributes: entriesOf<ChannelEntry>(reply[2] ?? null).map(toAttribute),
      emptySince: since === '' ? null : Number(since),
    };
  }

  async getChannelAttributes(appId: string, channelId: string, keys: readonly string[] | null): Promise<StoredChannelAttribute[]> {
    const raw = await this.#redis.hget(this.#keys.channelAttributes(appId, channelId), 'attributes');
    return pick(entriesOf<ChannelEntry>(raw), keys).map(toAttribute);
  }

  async markChannelEmpty(appId: string, channelId: string, since: number | null): Promise<boolean> {
    const reply = await this.#scripts.markEmpty([this.#keys.channelAttributes(appId, channelId)], [since === null ? '' : String(since)]);
    return reply === 1;
  }

  async expireChannelAttributes(appId: string, channelId: string, emptyBy: number): Promise<boolean> {
    const reply = await this.#scripts.expire([this.#keys.channelAttributes(appId, channelId)], [emptyBy]);
    return reply === 1;
  }
}
